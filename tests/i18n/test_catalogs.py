"""The shipped catalogs: up to date with the code, complete, within Discord's limits, read the right way."""

from __future__ import annotations

import logging
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.pofile import read_po, write_po

from bot.adapter.catalog_extract import catalog_path, package_root, template
from bot.i18n import CATALOG_FOLDERS, ENGLISH, SHIPPED, Catalog, Translations, number, read_catalog, resolve, t
from cogs import feature_extensions

POT = package_root() / "bot" / "i18n" / "rapport.pot"
LIMITS = {"command": 100, "choice": 100, "label": 80, "title": 45}


def _read(path: Path, locale: str | None = None) -> BabelCatalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _keys(catalog: BabelCatalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


async def test_the_template_is_up_to_date_with_the_code() -> None:
    current = await template(feature_extensions())
    stored = _read(POT)
    added = _keys(current) - _keys(stored)
    removed = _keys(stored) - _keys(current)
    assert not added and not removed, (
        f"run `python -m bot i18n extract` and translate: new {sorted(added)[:5]}, gone {sorted(removed)[:5]}"
    )


@pytest.mark.parametrize("locale", sorted(CATALOG_FOLDERS))
def test_each_shipped_catalog_is_complete_and_within_limits(locale: str) -> None:
    pot = _read(POT)
    po = _read(catalog_path(locale), CATALOG_FOLDERS[locale])
    problems = []
    for source in (m for m in pot if m.id):
        message = po.get(source.id, context=source.context)
        label = f"{locale} {source.context}:{str(source.id)[:40]!r}"
        if message is None or not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            problems.append(f"{label} untranslated")
            continue
        if message.fuzzy:
            problems.append(f"{label} fuzzy")
        sources = source.id if isinstance(source.id, tuple) else (source.id,)
        wanted = set().union(*(_placeholders(s) for s in sources))
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if _placeholders(text) != wanted:
                problems.append(f"{label} placeholders {sorted(_placeholders(text))} != {sorted(wanted)}")
            limit = LIMITS.get(source.context or "")
            if limit is not None and len(text) > limit:
                problems.append(f"{label} is {len(text)} characters (limit {limit})")
    assert not problems, "\n".join(problems[:20])


def test_choice_names_stay_distinct_in_every_language() -> None:
    """Two choices of one option must not read the same after translation (Discord would reject it)."""
    pot = _read(POT)
    choices = [m.id for m in pot if m.context == "choice"]
    for locale in CATALOG_FOLDERS:
        po = _read(catalog_path(locale), CATALOG_FOLDERS[locale])
        translated = [po.get(c, context="choice").string for c in choices]
        assert len(set(translated)) == len(translated), locale


def test_a_reader_gets_their_language_the_same_language_or_english() -> None:
    assert resolve("de") == "de" and resolve("pt-BR") == "pt-BR" and resolve("fr") == "fr"
    assert resolve("es-419") == "es-ES" and resolve("en-GB") == ENGLISH
    assert resolve("ja") == ENGLISH and resolve(None) == ENGLISH and resolve("") == ENGLISH
    assert set(SHIPPED) == {ENGLISH, *CATALOG_FOLDERS}


def test_a_missing_translation_falls_back_to_english_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert t("de", "A sentence no catalog has, {name}.", name="Ana") == "A sentence no catalog has, Ana."
        assert t("de", "A sentence no catalog has, {name}.", name="Bo") == "A sentence no catalog has, Bo."
    assert sum("no de translation" in r.getMessage() for r in caplog.records) == 1
    assert t("en-US", "Hello {name}", name="Ana") == "Hello Ana"


def test_plural_forms_follow_each_language(tmp_path: Path) -> None:
    """French says 0 and 1 in the singular, German only 1: the catalog's Plural-Forms decide."""
    paths = {}
    for locale, folder in (("fr", "fr"), ("de", "de")):
        catalog = BabelCatalog(locale=folder, domain="rapport")
        # CLDR: French has one (0, 1), many (whole millions) and other; German one and other.
        french = ("{n} réponse", "{n} de réponses", "{n} réponses")
        forms = french if locale == "fr" else ("{n} Antwort", "{n} Antworten")
        catalog.add(("{n} answer", "{n} answers"), forms)
        path = tmp_path / f"{folder}.po"
        with path.open("wb") as handle:
            write_po(handle, catalog)
        paths[locale] = path

    def reader(locale: str) -> Catalog:
        with paths[locale].open("rb") as handle:
            return read_catalog(locale, handle)

    translations = Translations(reader)
    assert translations.ngettext("fr", "{n} answer", "{n} answers", 0) == "{n} réponse"
    assert translations.ngettext("fr", "{n} answer", "{n} answers", 2) == "{n} réponses"
    assert translations.ngettext("fr", "{n} answer", "{n} answers", 2_000_000) == "{n} de réponses"
    assert translations.ngettext("de", "{n} answer", "{n} answers", 0) == "{n} Antworten"
    assert translations.ngettext("de", "{n} answer", "{n} answers", 1) == "{n} Antwort"
    assert translations.ngettext("en-US", "{n} answer", "{n} answers", 1) == "{n} answer"


def test_numbers_are_written_the_readers_way() -> None:
    assert number("en-US", 1234.5) == "1,234.5"
    assert number("de", 1234.5) == "1.234,5"
    assert number("pt-BR", 2000) == "2.000"
    assert number("fr", 1234.5).replace("\u202f", " ") == "1 234,5"
