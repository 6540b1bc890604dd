"""Wins: celebrations members post for each other with ``/win``, listed with kept commitments by ``/wins``."""
