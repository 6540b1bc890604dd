"""Rapport: a kind Discord bot for small groups."""

__version__ = "0.1.0"
