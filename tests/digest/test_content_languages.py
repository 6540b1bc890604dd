"""The digest's words in every shipped language: no English left, numbers and dates the reader's way, and
within Discord's limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.digest.content import digest_content
from bot.digest.models import MoodDay
from bot.digest.render import render_digest
from bot.digest.schedule import describe
from bot.i18n import CATALOG_FOLDERS
from bot.timeparse import parse_schedule
from cogs.digest._embed import digest_embed, digest_files
from tests.digest.test_content import full_week, stats

ENGLISH_WORDS = ("Progress together", "the week before", "Nice work", "Counts only", "Commitments", "Response rate")


@pytest.mark.parametrize("locale", sorted(CATALOG_FOLDERS))
def test_a_busy_digest_in_each_language_fits_and_has_no_english(locale: str) -> None:
    days = tuple(MoodDay(date(2026, 11, 3) + timedelta(days=i), count=4, total=14) for i in range(28))
    rendered = render_digest(stats(full_week(done=1234), full_week(1), days), locale)
    embed = digest_embed(rendered)
    text = "\n".join([embed.title or "", embed.description or "", embed.footer.text or "",
                      *(f"{f.name}: {f.value}" for f in embed.fields)])
    assert len(embed) <= 6000 and len(embed.fields) == 5
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)
    for english in ENGLISH_WORDS:
        assert english not in text, (locale, english)
    assert "1.234" in text or "1 234" in text.replace("\u202f", " ").replace("\xa0", " ")  # the reader's digits
    assert "3,8" in text  # the average, with the reader's decimal comma
    [chart] = digest_files(rendered)
    assert chart.description and chart.description != digest_content(stats(full_week(), full_week(1))).chart_caption


def test_schedules_and_titles_read_naturally() -> None:
    friday = parse_schedule("fri 16:00")
    assert describe(friday) == "Fridays at 16:00"
    assert describe(friday, "de") == "freitags um 16:00"
    assert describe(friday, "es-ES") == "los viernes a las 16:00"
    german = digest_content(stats(full_week(), full_week(1)), "de")
    assert german.title == "Gemeinsam vorankommen: 23. Nov. – 30. Nov. 2026"
