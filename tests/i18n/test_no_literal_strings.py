"""No member-facing text bypasses the catalogs: a scan of the code for English literals sent to Discord.

Every module of ``cogs/`` and ``bot/`` is parsed (never imported) and each place where text reaches a
member is looked at:

* the text of a message: ``send`` / ``reply`` / ``respond`` / ``send_message`` / ``followup.send`` /
  ``send_ephemeral`` / ``reply_keeping_text`` (the content, first positional or ``content=``), ``edit`` /
  ``edit_message`` / ``edit_original_response`` (``content=``);
* embeds: ``Embed(title=, description=)``, ``add_field(name=, value=)``, ``set_footer(text=)``,
  ``set_author(name=)``, ``embeds_from_lines(title, footer=)``;
* components: ``Button`` / ``ui.button(label=)``, ``Select`` / ``ui.select(placeholder=)``,
  ``SelectOption(label=, description=)``, ``TextInput(label=, placeholder=)``, ``Modal(title=)`` and a form's
  ``super().__init__(title=)``, ``TextDisplay(content)``, ``ConfirmView(confirm_label=)``;
* errors a member reads: ``BadInput`` / ``NotAllowed`` / ``ObjectNotFound`` / ``UserFacingError`` and their
  subclasses (found in the scanned code), built with a literal sentence in a module that is not in
  :data:`bot.adapter.catalog_extract.LOCALISED_ERRORS` (so the sentence is in no catalog), built from an
  f-string or concatenation (no catalog can hold it: pass values, ``BadInput("… {x}", x=...)``), or
  built in a localised module with a subclass the extractor does not know (``ERROR_KEYWORDS``);
* the message id of ``t()`` / ``tn()`` itself must be a plain literal (an f-string or a name is never extracted).

A value is fine when it is built with ``t()`` / ``tn()`` (or any other expression: a name, a call), is empty,
or holds no letters at all (emoji, punctuation, markdown separators such as ``"\\n"``, ``" · "``, ``"**"``);
an f-string is fine when its literal parts hold no letters (``f"{t(locale, 'Title')}: {value}"``).

Running it for one module: each module is its own test, with the module's path as its id::

    .venv/bin/python -m pytest tests/i18n/test_no_literal_strings.py -q -k cogs/about
    .venv/bin/python tests/i18n/test_no_literal_strings.py cogs/about/_cog.py   # prints every finding

A genuine exception (text that must stay English whatever the reader's language, such as a wire format a
member copies, or a brand name) goes in :data:`ALLOWED`, keyed by the module and the exact text, with the
reason; a stale entry fails :func:`test_every_allowed_exception_is_still_needed`.

What it cannot see: text built in a helper and passed on through a variable (``message = "Done"`` then
``send(message)``); renderers in ``bot/`` should build their text with ``t()`` from the start.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.adapter.catalog_extract import ERROR_KEYWORDS, LOCALISED_ERRORS

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("cogs", "bot")

#: Modules (or folders, ending in ``/``) whose member-facing text is being moved into the catalogs right now:
#: their findings are reported but do not fail (the test is an expected failure). Empty this list once they
#: are done; nothing else belongs here.
BEING_LOCALISED: tuple[str, ...] = ()

#: Genuine exceptions: ``(module, exact text)`` to the reason it stays as it is.
ALLOWED: dict[tuple[str, str], str] = {
    ("bot/errors.py", "self.msgid"): "the error family's own look-up: each message is extracted where it is raised",
    ("bot/repair/checks.py", "self.msgid"): "a repair field error's own look-up: each message is extracted where "
    "it is raised",
}

#: Calls that show text to a member: the positional indexes and the keywords that carry it.
SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "send": ((0,), ("content",)),
    "reply": ((0,), ("content",)),
    "respond": ((0,), ("content",)),
    "send_message": ((0,), ("content",)),
    "send_ephemeral": ((1,), ("content",)),
    "reply_keeping_text": ((1,), ("message",)),
    "edit": ((), ("content",)),
    "edit_message": ((), ("content",)),
    "edit_original_response": ((), ("content",)),
    "Embed": ((), ("title", "description")),
    "add_field": ((), ("name", "value")),
    "insert_field_at": ((), ("name", "value")),
    "set_field_at": ((), ("name", "value")),
    "set_footer": ((), ("text",)),
    "set_author": ((), ("name",)),
    "embeds_from_lines": ((0,), ("title", "footer")),
    "Button": ((), ("label",)),
    "button": ((), ("label",)),
    "Select": ((), ("placeholder",)),
    "select": ((), ("placeholder",)),
    "SelectOption": ((), ("label", "description")),
    "TextInput": ((), ("label", "placeholder")),
    "Modal": ((), ("title",)),
    "__init__": ((), ("title",)),
    "TextDisplay": ((0,), ("content",)),
    "ConfirmView": ((), ("confirm_label",)),
}
#: The error family a member reads (subclasses found in the scanned code join it).
ERRORS = frozenset({"UserFacingError", "BadInput", "NotAllowed", "ObjectNotFound"})
#: The translation calls and the positions of their message ids.
TRANSLATE = {"t": (1,), "tn": (1, 2)}


@dataclass(frozen=True, slots=True)
class Finding:
    module: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.text!r} ({self.why})"


def modules() -> list[str]:
    found: list[str] = []
    for folder in SCANNED:
        found.extend(str(p.relative_to(ROOT)) for p in sorted((ROOT / folder).rglob("*.py")))
    return found


def _tree(module: str) -> ast.Module:
    return ast.parse((ROOT / module).read_text(encoding="utf-8"), filename=module)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def error_family() -> frozenset[str]:
    """The error classes a member reads: the base family and every subclass defined in the scanned code."""
    bases: dict[str, set[str]] = {}
    for module in modules():
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(n for b in node.bases if (n := _name(b)) is not None)
    family = set(ERRORS)
    grown = True
    while grown:
        grown = False
        for name, parents in bases.items():
            if name not in family and parents & family:
                family.add(name)
                grown = True
    return frozenset(family)


def _wording(node: ast.expr) -> str | None:
    """The literal English a value carries (its letters matter), or None when it carries none."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and _has_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return ast.unparse(node) if _has_words(literal) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        for side in (node.left, node.right):
            if _wording(side) is not None:
                return ast.unparse(node)
        return None
    if isinstance(node, ast.IfExp):
        return _wording(node.body) or _wording(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _wording(node.func.value)
    return None


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _carried(call: ast.Call, positions: tuple[int, ...], keywords: tuple[str, ...]) -> Iterator[ast.expr]:
    for index in positions:
        if index < len(call.args) and not isinstance(call.args[index], ast.Starred):
            yield call.args[index]
    for keyword in call.keywords:
        if keyword.arg in keywords:
            yield keyword.value


def scan(module: str, family: frozenset[str] | None = None, source: str | None = None) -> list[Finding]:
    """Every literal member-facing text in ``module`` (a path relative to the repository, or ``source``)."""
    family = error_family() if family is None else family
    localised = module in LOCALISED_ERRORS
    tree = _tree(module) if source is None else ast.parse(source, filename=module)
    findings: list[Finding] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name is None:
            continue
        if name in TRANSLATE:
            for value in _carried(node, TRANSLATE[name], ()):
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    findings.append(Finding(module, value.lineno, ast.unparse(value),
                                            "a message id must be one plain literal (else it is never extracted)"))
        if name in SINKS:
            for value in _carried(node, *SINKS[name]):
                if (text := _wording(value)) is not None:
                    findings.append(Finding(module, value.lineno, text, f"{name}() without t()"))
        if name in family and node.args:
            first = node.args[0]
            text = _wording(first)
            if text is None:
                continue
            if not isinstance(first, ast.Constant):
                findings.append(Finding(module, first.lineno, text,
                                        f"{name}() from a built string: pass values, {name}('… {{x}}', x=...)"))
            elif not localised:
                findings.append(Finding(module, first.lineno, text,
                                        f"{name}() in a module not in LOCALISED_ERRORS"))
            elif name not in ERROR_KEYWORDS:
                findings.append(Finding(module, first.lineno, text, f"{name} is not in ERROR_KEYWORDS"))
    return sorted(findings, key=lambda f: f.line)


def _being_localised(module: str) -> bool:
    return any(module == entry or (entry.endswith("/") and module.startswith(entry)) for entry in BEING_LOCALISED)


def _unexcused(module: str, family: frozenset[str]) -> list[Finding]:
    return [f for f in scan(module, family) if (f.module, f.text) not in ALLOWED]


@pytest.fixture(scope="module")
def family() -> frozenset[str]:
    return error_family()


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(reason="being localised", strict=False)) if _being_localised(m) else m
        for m in modules()
    ],
)
def test_member_facing_text_goes_through_the_catalogs(module: str, family: frozenset[str]) -> None:
    findings = _unexcused(module, family)
    assert not findings, "English that bypasses the catalogs (use t()/tn(), see this test's docstring):\n" + "\n".join(
        map(str, findings)
    )


def test_every_allowed_exception_is_still_needed(family: frozenset[str]) -> None:
    found = {(f.module, f.text) for m in {m for m, _ in ALLOWED} for f in scan(m, family)}
    assert not set(ALLOWED) - found, f"stale ALLOWED entries: {sorted(set(ALLOWED) - found)}"
    assert all(reason.strip() for reason in ALLOWED.values()), "every exception says why"


def test_being_localised_names_real_modules() -> None:
    every = modules()
    stale = [entry for entry in BEING_LOCALISED if not any(m == entry or m.startswith(entry) for m in every)]
    assert not stale, f"BEING_LOCALISED names nothing: {stale}"


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scanner itself: each kind of bypass is found, and the allowed forms are not."""
    source = '''
async def run(interaction, channel, locale, embed, n):
    await interaction.response.send_message("Saved.", ephemeral=True)
    await channel.send(content=f"Hello {n}")
    await interaction.followup.send(t(locale, "Saved."))
    await channel.send(f"{t(locale, 'Title')}: {n}\\n")
    await channel.send("✅ · **")
    embed.add_field(name="When", value=t(locale, "Now"))
    discord.ui.Button(label="Open" if n else t(locale, "Close"))
    raise BadInput(f"`{n}` is not a number")
    raise RunClosed("This run is closed.")
    t(locale, f"Hi {n}")
    send_ephemeral(interaction, "Done " + str(n))
    t(locale, INTRO)
class RunClosed(BadInput):
    pass
'''
    found = scan("cogs/sample.py", ERRORS | {"RunClosed"}, source)
    assert [(f.line, f.text) for f in found] == [
        (3, "Saved."),
        (4, "f'Hello {n}'"),
        (8, "When"),
        (9, "Open"),
        (10, "f'`{n}` is not a number'"),
        (11, "This run is closed."),
        (12, "f'Hi {n}'"),
        (13, "'Done ' + str(n)"),
        (14, "INTRO"),
    ]


if __name__ == "__main__":
    every = error_family()
    for target in sys.argv[1:] or modules():
        for finding in scan(target, every):
            print(finding)
