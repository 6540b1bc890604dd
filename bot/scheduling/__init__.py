"""Scheduling: the clock, occurrence computation and the job service."""
