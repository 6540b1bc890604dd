"""Due dates read relative to the message time, in the speaker's own time zone, returned in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.timeparse.deadlines import parse_due

# Friday 7 March 2025, 15:00 UTC: 10:00 on Friday in New York (EST, before the 9 March DST change),
# but already 00:00 on Saturday 8 March in Tokyo.
SENT = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)
NY = "America/New_York"
TOKYO = "Asia/Tokyo"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "when", "phrase"),
    [
        # "by Friday" said on a Friday morning is today at 17:00, as /commit reads it.
        ("I'll send it by Friday", NY, utc(2025, 3, 7, 22, 0), "by Friday"),
        # For the Tokyo speaker it is already Saturday: the coming Friday, 17:00 JST.
        ("I'll send it by Friday", TOKYO, utc(2025, 3, 14, 8, 0), "by Friday"),
        ("will do it tomorrow", NY, utc(2025, 3, 8, 22, 0), "tomorrow"),
        ("will do it tomorrow", TOKYO, utc(2025, 3, 9, 8, 0), "tomorrow"),
        ("done by 5pm", NY, utc(2025, 3, 7, 22, 0), "by 5pm"),
        ("done by 5pm", TOKYO, utc(2025, 3, 8, 8, 0), "by 5pm"),
        # "next week" is Monday of next week; New York is on EDT by then.
        ("next week", NY, utc(2025, 3, 10, 21, 0), "next week"),
        ("next week", TOKYO, utc(2025, 3, 10, 8, 0), "next week"),
        ("on Dec 3", NY, utc(2025, 12, 3, 22, 0), "on Dec 3"),
        ("by EOD", NY, utc(2025, 3, 7, 22, 0), "by EOD"),
        ("today", NY, utc(2025, 3, 7, 22, 0), "today"),
        ("tonight", TOKYO, utc(2025, 3, 8, 11, 0), "tonight"),
        ("tomorrow morning", NY, utc(2025, 3, 8, 14, 0), "tomorrow morning"),
        ("by monday at 3pm", NY, utc(2025, 3, 10, 19, 0), "by monday at 3pm"),
        ("in 2 hours", TOKYO, utc(2025, 3, 7, 17, 0), "in 2 hours"),
        ("by the end of the month", NY, utc(2025, 3, 31, 21, 0), "end of the month"),
    ],
)
def test_due_dates(text: str, tz: str, when: datetime, phrase: str) -> None:
    due = parse_due(text, SENT, tz)
    assert due is not None
    assert due.when == when
    assert due.when.tzinfo is UTC
    assert due.text == phrase


def test_a_time_already_past_means_tomorrow() -> None:
    # 10:00 in New York: "by 9am" is tomorrow morning.
    due = parse_due("by 9am", SENT, NY)
    assert due is not None and due.when == utc(2025, 3, 8, 14, 0)


def test_dates_already_past_this_year_roll_to_next_year() -> None:
    due = parse_due("on Jan 15", SENT, NY)
    assert due is not None and due.when == utc(2026, 1, 15, 22, 0)


def test_no_date() -> None:
    assert parse_due("I'll send the draft", SENT, NY) is None
    assert parse_due("we have 2 cats", SENT, NY) is None


def test_unknown_zone_reads_as_utc() -> None:
    due = parse_due("tomorrow", SENT, "Mars/Olympus_Mons")
    assert due is not None and due.when == utc(2025, 3, 8, 17, 0)


def test_other_date_forms_use_the_same_grammar() -> None:
    due = parse_due("the report is due 2025-12-10", SENT, NY)
    assert due is not None
    assert due.when == utc(2025, 12, 10, 22, 0)
    # Day/month order differs between countries: /commit refuses 12/10, and a summary does not guess.
    assert parse_due("the report is due 12/10/2025", SENT, NY) is None
