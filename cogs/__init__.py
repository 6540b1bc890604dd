"""discord.py extensions, one package per feature."""
