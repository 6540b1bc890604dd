"""Commitments: the promises a group makes, kind private nudges about them, and celebrated follow-through."""
