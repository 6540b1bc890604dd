"""The weekly "progress together" digest: counts for the last 7 days against the week before, and a mood chart.

``sources`` reads the numbers (the only module that reads other features' tables), ``content`` turns a
:class:`~bot.digest.models.DigestStats` into words (pure), ``chart`` draws the mood PNG, ``render`` builds the
embed, and ``service`` schedules and posts it, restart-safe.
"""
