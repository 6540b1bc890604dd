"""Recurring check-ins: the rules, with no Discord objects (the cog in ``cogs/checkins`` adapts them)."""
