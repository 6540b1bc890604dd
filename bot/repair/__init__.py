"""Repair after a disagreement: a private, consent-first conversation in three steps, then a follow-up."""
