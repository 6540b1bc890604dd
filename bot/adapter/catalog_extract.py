"""``python -m bot i18n extract``: the message template from the code, and each catalog brought up to date.

Two sources: the command tree's descriptions and choices (walked from the loaded extensions, offline), and
every ``t(locale, "…")`` / ``tn(locale, "…", "…", n)`` call and ``Term("…")`` in ``bot/`` and ``cogs/``
(Babel's extractor), with the errors raised with a literal sentence in the modules of ``LOCALISED_ERRORS``.
Existing translations are kept; new strings arrive untranslated, changed ones fuzzy, for a translator to do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po

from bot import __version__
from bot.adapter.translator import command_strings
from bot.i18n import CATALOG_FOLDERS, DOMAIN

KEYWORDS = {"t": (2,), "tn": (2, 3), "Term": (1,)}
#: Errors raised with a literal English sentence are catalog entries too, module by module as each one's
#: replies are localised (the error path shows them in the member's language).
_ERROR_CLASSES = (
    "UserFacingError", "ObjectNotFound", "NotAllowed", "BadInput", "CannotPost", "FieldProblem", "FormGone", "RunClosed"
)
ERROR_KEYWORDS = {name: (1,) for name in _ERROR_CLASSES}
LOCALISED_ERRORS = (
    "bot/adapter/feedback_buttons.py",
    "bot/adapter/forms.py",
    "bot/adapter/permissions.py",
    "bot/adapter/translator.py",
    "bot/checkins/answers.py",
    "bot/checkins/management.py",
    "bot/checkins/options.py",
    "bot/checkins/schedule.py",
    "bot/checkins/service.py",
    "bot/checkins/templates.py",
    "bot/clarify/service.py",
    "bot/commitments/changes.py",
    "bot/commitments/service.py",
    "bot/commitments/validation.py",
    "bot/digest/schedule.py",
    "bot/digest/service.py",
    "bot/feedback/service.py",
    "bot/repair/checks.py",
    "bot/repair/closing.py",
    "bot/repair/service.py",
    "bot/repair/steps.py",
    "bot/safety.py",
    "bot/summary/service.py",
    "bot/timeparse/clock.py",
    "bot/timeparse/cron.py",
    "bot/timeparse/days.py",
    "bot/timeparse/durations.py",
    "bot/timeparse/instants.py",
    "bot/timeparse/schedules.py",
    "bot/timeparse/text.py",
    "bot/timeparse/weekdays.py",
    "bot/timezones.py",
    "bot/wins/service.py",
    "cogs/checkins/_cog.py",
    "cogs/checkins/_views.py",
    "cogs/clarify/_cog.py",
    "cogs/commitments/_access.py",
    "cogs/commitments/_cog.py",
    "cogs/digest/_cog.py",
    "cogs/feedback/_cog.py",
    "cogs/me/_cog.py",
    "cogs/me/_forget.py",
    "cogs/repair/_access.py",
    "cogs/repair/_buttons.py",
    "cogs/repair/_cog.py",
    "cogs/repair/_posting.py",
    "cogs/repair/_submissions.py",
    "cogs/settings/_cog.py",
    "cogs/summaries/_buttons.py",
    "cogs/summaries/_cog.py",
    "cogs/summaries/_publishing.py",
    "cogs/summaries/_records.py",
    "cogs/wins/_cog.py",
)


def package_root() -> Path:
    return Path(str(resources.files("bot"))).parent


async def template(extensions: Sequence[str]) -> Catalog:
    """The current message template (``rapport.pot``) as a Babel catalog."""
    from bot.adapter.client import Rapport
    from bot.config import Secret, Settings
    from bot.db.database import Database
    from bot.db.preferences import PreferencesRepo

    catalog = Catalog(project="Rapport", version=__version__, domain=DOMAIN, charset="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.db"
        bot = Rapport(Settings(token=Secret("x" * 24), database_path=path), realtime_jobs=False)
        async with bot:  # initialised for the cogs' start-up tasks, never logged in
            bot.db = await Database.open(path)
            await bot.db.migrate()
            bot.prefs = PreferencesRepo(bot.db)
            for name in extensions:
                await bot.load_extension(name)
            for item in command_strings(bot.tree):
                catalog.add(item.text, context=item.context, auto_comments=[item.where])
    root = package_root()
    for folder_name in ("bot", "cogs"):
        for filename, lineno, message, comments, context in extract_from_dir(
            root / folder_name, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(message, locations=[(f"{folder_name}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    for relative in LOCALISED_ERRORS:
        with (root / relative).open("rb") as handle:
            for found in extract_python(handle, ERROR_KEYWORDS, (), {}):
                line, text, notes = found[0], found[2], found[3]
                if isinstance(text, tuple):  # the values form: UserFacingError("… {x} …", x=...)
                    text = text[0]
                if isinstance(text, str):
                    catalog.add(text, locations=[(relative, line)], auto_comments=notes)
    return catalog


def catalog_path(locale: str) -> Path:
    return package_root() / "bot" / "i18n" / "locales" / CATALOG_FOLDERS[locale] / "LC_MESSAGES" / f"{DOMAIN}.po"


async def extract(extensions: Sequence[str]) -> list[str]:
    """Write ``bot/i18n/rapport.pot`` and update every shipped ``.po``; the lines to print."""
    pot = await template(extensions)
    root = package_root() / "bot" / "i18n"
    with (root / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, pot, width=120, omit_header=False, sort_output=True)
    report = [f"{len(pot)} messages in bot/i18n/{DOMAIN}.pot"]
    for locale, folder in CATALOG_FOLDERS.items():
        path = catalog_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                po = read_po(handle, locale=folder)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            po = Catalog(locale=folder, domain=DOMAIN, project="Rapport", version=__version__)
        po.update(pot, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, po, width=120, sort_output=True, ignore_obsolete=True)
        missing = sum(1 for m in po if m.id and (not m.string or m.fuzzy))
        report.append(f"{locale}: {missing} to translate")
    return report
