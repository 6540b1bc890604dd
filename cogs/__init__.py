"""discord.py extensions, one package per feature."""

from __future__ import annotations

import pkgutil


def feature_extensions() -> list[str]:
    """Every feature package under ``cogs/`` (names starting with ``_`` are private helpers)."""
    packages = pkgutil.iter_modules(__path__)
    return sorted(f"{__name__}.{info.name}" for info in packages if info.ispkg and not info.name.startswith("_"))
