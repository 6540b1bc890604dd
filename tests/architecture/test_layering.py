"""The layering the README's architecture section describes, enforced on every module's imports.

Layers, lowest first; a module may import its own layer and those below it, never one above:

0. shared values: ``bot.errors``, ``bot.markup``, ``bot.timezones``, ``bot.config``, ``bot.i18n``, the date
   and time grammar ``bot.timeparse`` and the package itself
1. storage and scheduling: ``bot.db`` and ``bot.scheduling``
2. domain: every other package and module under ``bot/`` (rules, models, services, engines)
3. the Discord adapter layer: ``bot.adapter``
4. feature cogs: ``cogs``
5. the entry point: ``bot.__main__``

Only layers 3 and above may import discord.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"bot", "bot.errors", "bot.markup", "bot.timezones", "bot.config", "bot.i18n"}
SHARED_PACKAGES = (["bot", "timeparse"],)
NAMES = {
    0: "shared values",
    1: "storage and scheduling",
    2: "domain",
    3: "Discord adapter",
    4: "cogs",
    5: "entry point",
}


def layer(module: str) -> int:
    if module == "bot.__main__":
        return 5
    if module == "cogs" or module.startswith("cogs."):
        return 4
    if module == "bot.adapter" or module.startswith("bot.adapter."):
        return 3
    if module in SHARED or module.split(".")[:2] in SHARED_PACKAGES:
        return 0
    if module.split(".")[:2] in (["bot", "db"], ["bot", "scheduling"]):
        return 1
    return 2


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[str]:
    """Every absolute module this file imports, including those only imported for type checking."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def source_files() -> list[Path]:
    return sorted(p for folder in ("bot", "cogs") for p in (ROOT / folder).rglob("*.py"))


def target_layer(imported: str) -> int | None:
    top = imported.split(".")[0]
    if top not in ("bot", "cogs"):
        return None
    return layer(imported)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_only_its_layer_and_below(path: Path) -> None:
    name = module_name(path)
    own = layer(name)
    problems = []
    for imported in imports(path):
        top = imported.split(".")[0]
        if top == "discord" and own < 3:
            problems.append(f"imports discord but is {NAMES[own]} (only the adapter layer and cogs may)")
        target = target_layer(imported)
        if target is not None and target > own:
            problems.append(f"imports {imported} ({NAMES[target]}) from below it ({NAMES[own]})")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    """The checker itself: a domain module importing discord or the adapter is reported."""
    fake = tmp_path / "fake.py"
    fake.write_text("import discord\nfrom bot.adapter.render import NO_MENTIONS\n", encoding="utf-8")
    assert imports(fake) == ["discord", "bot.adapter.render"]
    assert layer("bot.checkins.service") == 2
    assert target_layer("bot.adapter.render") == 3
    assert layer("bot.timeparse.schedules") == 0 and layer("bot.timeparse") == 0
    assert layer("bot.db.database") == 1 and layer("bot.scheduling.jobs") == 1
    assert layer("cogs.checkins._cog") == 4 and layer("bot.__main__") == 5
