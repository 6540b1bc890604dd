"""Rapport's languages: which locales ship, which one a reader gets, and the translated strings.

Strings live in standard gettext catalogs, one domain (``rapport``): ``bot/i18n/rapport.pot`` is extracted
from the code (``python -m bot i18n extract``) and each shipped language has
``bot/i18n/locales/<code>/LC_MESSAGES/rapport.po``. The ``.po`` sources are read when first needed (no
compile step anyone must run). The message id is the English text, so English needs no catalog; a string
missing from a catalog falls back to English and is logged once.

Pure: no discord import. Locales are Discord's codes (``de``, ``es-ES``, ``pt-BR``, …).
"""

from __future__ import annotations

import gettext
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import IO, Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

DOMAIN = "rapport"
ENGLISH = "en-US"

#: The shipped locales and their names as their speakers write them.
SHIPPED: dict[str, str] = {
    "en-US": "English",
    "de": "Deutsch",
    "es-ES": "Español",
    "fr": "Français",
    "pt-BR": "Português do Brasil",
}

#: Discord locales served by a shipped one (the same language, another region).
_SAME_LANGUAGE = {"en-GB": "en-US", "es-419": "es-ES"}

#: The folder name of each shipped catalog (gettext's spelling of the locale).
CATALOG_FOLDERS = {"de": "de", "es-ES": "es_ES", "fr": "fr", "pt-BR": "pt_BR"}


def resolve(locale: str | None) -> str:
    """The shipped locale a reader with ``locale`` gets: their own, the same language's, or English."""
    if not locale:
        return ENGLISH
    code = str(locale)
    if code in SHIPPED:
        return code
    return _SAME_LANGUAGE.get(code, ENGLISH)


@dataclass(frozen=True, slots=True)
class Catalog:
    """One language's translations: ``(context, message id)`` to text, plural forms by ``(context, singular)``."""

    locale: str
    singles: dict[tuple[str | None, str], str]
    plurals: dict[tuple[str | None, str], tuple[str, ...]]
    plural_index: Callable[[int], int]


def _read(locale: str) -> Catalog:
    """The shipped catalog of ``locale``, from the package."""
    source = resources.files(__name__) / "locales" / CATALOG_FOLDERS[locale] / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as handle:
        return read_catalog(locale, handle)


def read_catalog(locale: str, handle: IO[bytes]) -> Catalog:
    """A ``.po`` source as a :class:`Catalog` (fuzzy and untranslated entries left out)."""
    from babel.messages.pofile import read_po  # only when a non-English reader first needs it

    po = read_po(handle, locale=CATALOG_FOLDERS.get(locale, locale))
    singles: dict[tuple[str | None, str], str] = {}
    plurals: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(message.string) if isinstance(message.string, tuple) else ()
            if forms and all(forms):
                plurals[(message.context, message.id[0])] = forms
        elif isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            singles[(message.context, message.id)] = message.string
    return Catalog(locale, singles, plurals, gettext.c2py(po.plural_expr))


class Translations:
    """Every shipped catalog, read once on first use (thread-safe: the summary engine runs in threads)."""

    def __init__(self, reader: Callable[[str], Catalog] = _read) -> None:
        self._reader = reader
        self._catalogs: dict[str, Catalog] = {}
        self._lock = threading.Lock()
        self._missing: set[tuple[str, str | None, str]] = set()

    def catalog(self, locale: str) -> Catalog | None:
        code = resolve(locale)
        if code == ENGLISH:
            return None
        found = self._catalogs.get(code)
        if found is None:
            with self._lock:
                found = self._catalogs.get(code)
                if found is None:
                    found = self._catalogs[code] = self._reader(code)
        return found

    #: At most this many distinct missing strings are remembered (and logged).
    MISSING_LIMIT = 1000

    def _miss(self, locale: str, context: str | None, msgid: str) -> None:
        key = (locale, context, msgid)
        if key not in self._missing and len(self._missing) < self.MISSING_LIMIT:
            self._missing.add(key)
            log.warning("no %s translation for %r (context %s); using English", locale, msgid[:80], context)

    def lookup(
        self, locale: str | None, msgid: str, context: str | None = None, *, report: bool = True
    ) -> str | None:
        """The translation, or None when the reader gets English or the catalog lacks it (logged once, unless
        ``report`` is false: a finished English sentence that was never meant to be a catalog entry)."""
        catalog = self.catalog(locale or ENGLISH)
        if catalog is None:
            return None
        text = catalog.singles.get((context, msgid))
        if text is None and report:
            self._miss(catalog.locale, context, msgid)
        return text

    def gettext(self, locale: str | None, msgid: str, context: str | None = None) -> str:
        return self.lookup(locale, msgid, context) or msgid

    def ngettext(self, locale: str | None, singular: str, plural: str, n: int, context: str | None = None) -> str:
        catalog = self.catalog(locale or ENGLISH)
        if catalog is not None:
            forms = catalog.plurals.get((context, singular))
            if forms is not None:
                index = catalog.plural_index(abs(n))
                return forms[min(index, len(forms) - 1)]
            self._miss(catalog.locale, context, singular)
        return singular if n == 1 else plural


TRANSLATIONS = Translations()


@runtime_checkable
class Localised(Protocol):
    """A value shown in the reader's language where it fills a message's ``{placeholder}`` (its ``str`` is the
    English): a :class:`Term`, examples of what to type (:class:`bot.timeparse.Examples`), a moment."""

    def text(self, locale: str | None) -> str: ...


class Term(str):
    """A piece of English filled into a message (a noun such as ``due date``, a phrase such as ``set up the
    weekly digest``) that is itself a catalog entry: ``Term("…")`` is extracted like ``t()``, and an error
    (:class:`bot.errors.UserFacingError`) shows it in the reader's language where it fills a ``{placeholder}``.
    """

    __slots__ = ()

    def text(self, locale: str | None) -> str:
        return translated(locale, str(self))


def translated(locale: str | None, english: str, *, report: bool = True) -> str:
    """English that Rapport wrote and stored or passed along (a catalog entry marked where it is written), in the
    reader's language; English when the catalog lacks it (logged once, unless ``report`` is false: text that
    may not be a catalog entry at all)."""
    return TRANSLATIONS.lookup(locale, english, report=report) or english


def t(locale: str | None, msgid: str, /, **values: Any) -> str:
    """``msgid`` (English text with ``{name}`` placeholders) in the reader's language, filled in."""
    text = TRANSLATIONS.gettext(locale, msgid)
    return text.format(**values) if values else text


def tn(locale: str | None, singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The plural form for ``n`` in the reader's language; ``{n}`` is the number, formatted for the locale."""
    text = TRANSLATIONS.ngettext(locale, singular, plural, n)
    return text.format(n=number(locale, n), **values)


def babel_locale(locale: str | None) -> str:
    """The Babel / CLDR name of the shipped locale a reader gets (``en_US``, ``de``, ``pt_BR``, …)."""
    return CATALOG_FOLDERS.get(resolve(locale), "en_US")


def number(locale: str | None, value: float) -> str:
    """A number written the reader's way (``1,234.5``, ``1.234,5``, ``1 234,5``)."""
    from babel.numbers import format_decimal

    code = resolve(locale)
    return format_decimal(value, locale=CATALOG_FOLDERS.get(code, "en_US"))
