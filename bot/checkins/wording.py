"""Rapport's own wording that check-ins keep in English and show in the reader's language: template questions,
mood words, button labels (:func:`in_language`), and why a check-in could not post.

The reasons are stored (in English, in ``pause_reason`` and a run's ``failure``) and shown to managers later.
A reason is one of the templates below, filled in (``CHANNEL_GONE``, ``MISSING_PERMISSIONS.format(...)``).
It is stored as English text, so it reads the same in the logs; :func:`reason_text` recognises a stored
reason by its template and shows it in any shipped language (a reason it does not know stays as it is).
"""

from __future__ import annotations

import re
import string
from functools import cache

from bot.errors import BadInput
from bot.i18n import ENGLISH, t, translated


def in_language(locale: str | None, english: str) -> str:
    """A phrase Rapport wrote, kept in English (and marked for the catalogs with ``t(ENGLISH, "…")`` where it
    is defined), in the reader's language."""
    return translated(locale, english)


NOT_IN_SERVER = t(ENGLISH, "I'm no longer in that server.")
CHANNEL_GONE = t(ENGLISH, "the channel was deleted, or I can no longer see it.")
NOT_TEXT = t(ENGLISH, "check-ins need a text channel.")
MISSING_PERMISSIONS = t(ENGLISH, "I'm missing {permissions} in #{channel}.")
MAY_NOT_POST = t(ENGLISH, "I'm not allowed to post in #{channel} any more.")
NO_THREADS = t(ENGLISH, "I can't create threads in #{channel} any more.")
CLOSED_BEFORE_POSTED = t(ENGLISH, "it closed before it could be posted")
KEPT_FAILING_UNTIL_CLOSED = t(ENGLISH, "Discord kept failing until it closed")
DIGEST_TOO_LATE = t(ENGLISH, "it was more than a day late, so I didn't send it.")
DIGEST_KEPT_FAILING = t(ENGLISH, "Discord kept failing for a day.")
DIGEST_NOWHERE = t(ENGLISH, "its thread and channel are gone, or I may not post there.")
DIGEST_NOT_SHARED = t(ENGLISH, "the digest of the run of {when} could not be shared: {reason}")

REASONS = (
    NOT_IN_SERVER, CHANNEL_GONE, NOT_TEXT, MISSING_PERMISSIONS, MAY_NOT_POST, NO_THREADS, CLOSED_BEFORE_POSTED,
    KEPT_FAILING_UNTIL_CLOSED, DIGEST_TOO_LATE, DIGEST_KEPT_FAILING, DIGEST_NOWHERE, DIGEST_NOT_SHARED,
)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = []
    for template in REASONS:
        pattern = "".join(
            re.escape(literal) + (f"(?P<{field}>.+?)" if field else "")
            for literal, field, _, _ in string.Formatter().parse(template)
        )
        found.append((template, re.compile(pattern, re.DOTALL)))
    return tuple(found)


def reason_text(locale: str | None, reason: str, depth: int = 0) -> str:
    """A stored reason in the reader's language (one Rapport did not write is shown as it is)."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(reason)
        if match is not None:
            values = {k: reason_text(locale, v, depth + 1) if depth < 2 else v for k, v in match.groupdict().items()}
            return in_language(locale, template).format(**values)
    return reason


class CannotPost(BadInput):
    """A refusal whose ``problem`` (or ``reason``) value is a stored reason: shown in the reader's language."""

    def text(self, locale: str | None) -> str:
        values = {k: reason_text(locale, v) if k in ("problem", "reason") and isinstance(v, str) else v
                  for k, v in self.values.items()}
        return in_language(locale, self.msgid).format(**values)
