"""The pure digest: DigestStats in, words (and whether a chart is shown) out. No database, no Discord."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bot.digest.content import acknowledgement, digest_content
from bot.digest.models import (
    CheckinCounts,
    CommitmentCounts,
    DigestStats,
    MoodCounts,
    MoodDay,
    WeekStats,
    mood_visible,
)
from bot.digest.render import render_digest
from cogs.digest._embed import build_embed, digest_embed, digest_files

END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def week(offset: int = 0, **values: object) -> WeekStats:
    end = END - timedelta(days=7 * offset)
    return WeekStats(start=end - timedelta(days=7), end=end, **values)  # type: ignore[arg-type]


def full_week(offset: int = 0, *, done: int = 5, wins: int = 2, held: int = 3) -> WeekStats:
    return week(
        offset,
        checkins=CheckinCounts(held=held, answered=8, asked=10),
        mood=MoodCounts(count=8, anonymous=0, total=30),
        commitments=CommitmentCounts(opened=4, done=done, renegotiated=1, overdue=2),
        wins=wins,
        clarifications_answered=3,
        repairs_followed_up=1,
    )


def stats(this: WeekStats, last: WeekStats, days: tuple[MoodDay, ...] = ()) -> DigestStats:
    return DigestStats(guild_id=1, zone="Europe/London", end=END, this_week=this, last_week=last, mood_days=days)


def text_of(content: object) -> str:
    c = digest_content(content)  # type: ignore[arg-type]
    return "\n".join([c.title, c.acknowledgement, *(f"{n}: {v}" for n, v in c.fields), c.footer])


def test_acknowledges_progress_with_counts() -> None:
    assert acknowledgement(full_week()) == (
        "5 commitments kept this week, 2 wins shared and 3 questions cleared up. Nice work, everyone."
    )
    assert acknowledgement(full_week(done=1, wins=0)).startswith("1 commitment kept this week, 3 questions")
    only_checkins = week(checkins=CheckinCounts(held=1, answered=1, asked=1))
    assert acknowledgement(only_checkins) == "1 check-in held this week. Nice work, everyone."


def test_a_quiet_week_is_never_shamed() -> None:
    text = acknowledgement(week(checkins=CheckinCounts(), commitments=CommitmentCounts()))
    assert "quiet week" in text and "fine" in text


def test_every_section_compares_with_the_week_before() -> None:
    text = text_of(stats(full_week(), full_week(1, done=2, wins=1, held=2)))
    assert "**3** held (2 the week before)" in text
    assert "Response rate **80%** (80% the week before)" in text
    assert "Opened **4** · Done **5** · Renegotiated **1** · Overdue **2**" in text
    assert "The week before: opened 4 · done 2 · renegotiated 1 · overdue 2" in text
    assert "**5 commitments** done · **2 wins** shared with /win (2 done · 1 shared the week before)" in text
    assert "Clarifications answered: **3** (3 the week before)" in text
    assert "Repairs followed up: **1** (1 the week before)" in text
    assert "Average **3.8** / 5 from 8 answers (3.8 the week before)" in text


def test_no_names_or_mentions_ever() -> None:
    text = text_of(stats(full_week(), full_week(1)))
    assert not re.search(r"<@!?&?\d+>", text)
    assert "Counts only, never names" in text


def test_unavailable_sources_are_left_out() -> None:
    content = digest_content(stats(week(wins=1), week(1)))
    names = [name for name, _ in content.fields]
    assert names == ["Wins"]
    assert content.fields[0][1] == "**1 win** shared with /win (0 shared the week before)"
    assert not content.with_chart


def test_week_mood_hidden_below_three_answers_or_with_few_anonymous_ones() -> None:
    assert not mood_visible(2, 0)
    assert mood_visible(3, 0)
    assert not mood_visible(5, 2)  # 2 anonymous answers among named ones could be worked out
    assert mood_visible(5, 3)
    this = week(mood=MoodCounts(count=2, anonymous=0, total=9), checkins=CheckinCounts(held=1, answered=2, asked=2))
    text = text_of(stats(this, week(1, mood=MoodCounts(), checkins=CheckinCounts())))
    assert "Not enough answers this week" in text
    assert "4.5" not in text


def test_chart_only_when_some_day_has_enough_answers() -> None:
    days = tuple(MoodDay(date(2026, 11, 3) + timedelta(days=i), count=2, total=8) for i in range(28))
    hidden = stats(full_week(), full_week(1), days)
    assert not digest_content(hidden).with_chart
    shown = stats(full_week(), full_week(1), (*days[:-1], MoodDay(date(2026, 11, 30), count=3, total=12)))
    content = digest_content(shown)
    assert content.with_chart
    assert "chart below" in dict(content.fields)["Mood"]
    assert MoodDay(date(2026, 11, 30), count=3, total=12).average == 4.0
    assert MoodDay(date(2026, 11, 30), count=2, total=8).average is None


def test_title_uses_local_dates() -> None:
    content = digest_content(stats(full_week(), full_week(1)))
    assert content.title == "Progress together: 23 Nov – 30 Nov 2026"


def test_embed_fits_discord_and_points_at_the_chart() -> None:
    days = tuple(MoodDay(date(2026, 11, 3) + timedelta(days=i), count=4, total=14) for i in range(28))
    rendered = render_digest(stats(full_week(), full_week(1), days))
    embed = digest_embed(rendered)
    assert len(embed) <= 6000
    assert embed.image.url == "attachment://mood-trend.png"
    assert rendered.chart is not None and rendered.chart.startswith(b"\x89PNG")
    assert [f.filename for f in digest_files(rendered)] == ["mood-trend.png"]
    plain = build_embed(digest_content(stats(full_week(), full_week(1))))
    assert plain.image.url is None
    assert digest_files(render_digest(stats(full_week(), full_week(1)))) == []
