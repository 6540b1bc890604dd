"""The summary engine: conversation records in, a reviewed-ready written summary out (no Discord types).

Use :func:`bot.summary.offline.summarize` to build a :class:`bot.summary.models.Summary` and
:func:`bot.summary.render.render` to turn it into Markdown and Discord-embed-shaped dicts.
"""
