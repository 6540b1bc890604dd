"""Parsing schedule phrases, the canonical text round trip, and describe()."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.timeparse import (
    LAST_DAY,
    SCHEDULE_EXAMPLES,
    CronSpec,
    Recurrence,
    parse_schedule,
)
from tests.scheduling._strategies import cron_recs, cron_texts, days_st, hour_st, minute_st, monthly_recs, weekly_recs

ANCHOR = date(2026, 1, 8)  # a Thursday; its ISO week starts Monday 2026-01-05
ALL = frozenset(range(7))


def weekly(days: set[int], hour: int, minute: int) -> Recurrence:
    return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=frozenset(days))


# -- each form ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily 09:30", weekly(set(ALL), 9, 30)),
        ("daily 9:30", weekly(set(ALL), 9, 30)),
        ("  DAILY    at   9:30  ", weekly(set(ALL), 9, 30)),
        ("every day 9am", weekly(set(ALL), 9, 0)),
        ("daily 12am", weekly(set(ALL), 0, 0)),
        ("daily 12pm", weekly(set(ALL), 12, 0)),
        ("daily 12:05 AM", weekly(set(ALL), 0, 5)),
        ("daily 5:15pm", weekly(set(ALL), 17, 15)),
        ("daily 5:15 p.m.", weekly(set(ALL), 17, 15)),
        ("daily 17:00", weekly(set(ALL), 17, 0)),
        ("daily 00:00", weekly(set(ALL), 0, 0)),
        ("daily 23:59", weekly(set(ALL), 23, 59)),
        ("daily noon", weekly(set(ALL), 12, 0)),
        ("`daily 09:30`", weekly(set(ALL), 9, 30)),
        ("weekdays 09:30", weekly({0, 1, 2, 3, 4}, 9, 30)),
        ("every weekday at 9:30", weekly({0, 1, 2, 3, 4}, 9, 30)),
        ("weekends 10:00", weekly({5, 6}, 10, 0)),
        ("Weekends 10AM", weekly({5, 6}, 10, 0)),
        ("mon,wed,fri 17:00", weekly({0, 2, 4}, 17, 0)),
        ("mon wed fri 17:00", weekly({0, 2, 4}, 17, 0)),
        ("Mon, Wed and Fri at 5pm", weekly({0, 2, 4}, 17, 0)),
        ("monday wednesday friday 17:00", weekly({0, 2, 4}, 17, 0)),
        ("mondays and thursdays 8:45", weekly({0, 3}, 8, 45)),
        ("tues/thurs 8:45", weekly({1, 3}, 8, 45)),
        ("every monday 9:00", weekly({0}, 9, 0)),
        ("on sunday at 7pm", weekly({6}, 19, 0)),
        ("sat sun 10:00", weekly({5, 6}, 10, 0)),
        ("every week on fri 16:00", weekly({4}, 16, 0)),
        ("every 1 week on fri 16:00", weekly({4}, 16, 0)),
        ("weekdays sat 9:00", weekly({0, 1, 2, 3, 4, 5}, 9, 0)),
    ],
)
def test_day_forms(text: str, expected: Recurrence) -> None:
    assert parse_schedule(text) == expected


def test_every_n_weeks_takes_the_monday_of_the_anchor_week() -> None:
    rec = parse_schedule("every 2 weeks on fri 16:00", anchor=ANCHOR)
    assert rec == Recurrence(
        kind="weekly", hour=16, minute=0, weekdays=frozenset({4}), every_weeks=2, anchor=date(2026, 1, 5)
    )
    assert parse_schedule("every other week on fri at 4pm", anchor=date(2026, 1, 11)) == rec  # Sunday
    assert parse_schedule("fortnightly on friday 16:00", anchor=date(2026, 1, 5)) == rec
    # A different week is a different schedule.
    assert parse_schedule("every 2 weeks on fri 16:00", anchor=date(2026, 1, 12)) != rec


def test_every_n_weeks_several_days_and_explicit_start() -> None:
    rec = parse_schedule("every 3 weeks on mon, thu at 9am from 2026-02-04")
    assert rec.weekdays == frozenset({0, 3})
    assert rec.every_weeks == 3
    assert rec.anchor == date(2026, 2, 2)
    # The text's start week wins over the anchor argument (this is what makes from_text lossless).
    assert parse_schedule("every 3 weeks on mon,thu 09:00 from 2026-02-02", anchor=ANCHOR) == rec


def test_every_n_weeks_without_any_anchor_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="anchor"):
        parse_schedule("every 2 weeks on fri 16:00")


def test_anchor_must_be_a_date_not_a_datetime() -> None:
    from datetime import UTC, datetime

    with pytest.raises(TypeError):
        parse_schedule("every 2 weeks on fri 16:00", anchor=datetime(2026, 1, 8, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "day", "hour", "minute"),
    [
        ("monthly on 1 at 10:00", 1, 10, 0),
        ("monthly on the 1st at 10am", 1, 10, 0),
        ("Monthly 15 9:30", 15, 9, 30),
        ("every month on day 31 at 18:00", 31, 18, 0),
        ("monthly on the 22nd 7:05pm", 22, 19, 5),
        ("monthly on last at 10:00", LAST_DAY, 10, 0),
        ("monthly on the last day at 10:00", LAST_DAY, 10, 0),
    ],
)
def test_monthly_forms(text: str, day: int, hour: int, minute: int) -> None:
    assert parse_schedule(text) == Recurrence(kind="monthly", hour=hour, minute=minute, month_day=day)


def cron(text: str) -> CronSpec:
    rec = parse_schedule(text)
    assert rec.kind == "cron"
    assert rec.cron is not None
    return rec.cron


def test_cron_fields_expand() -> None:
    spec = cron("cron 0 9 * * 1-5")
    assert spec.minutes == {0}
    assert spec.hours == {9}
    assert spec.days == frozenset(range(1, 32))
    assert spec.months == frozenset(range(1, 13))
    assert spec.weekdays == {1, 2, 3, 4, 5}
    assert spec.days_star and not spec.weekdays_star


def test_cron_lists_ranges_steps_and_names() -> None:
    spec = cron("CRON  */15 9-17/4 1,15,20-22 jan-mar,Dec mon,wed-fri")
    assert spec.minutes == {0, 15, 30, 45}
    assert spec.hours == {9, 13, 17}
    assert spec.days == {1, 15, 20, 21, 22}
    assert spec.months == {1, 2, 3, 12}
    assert spec.weekdays == {1, 3, 4, 5}
    assert not spec.days_star and not spec.weekdays_star
    assert spec.or_days


@pytest.mark.parametrize("dow", ["0", "7", "sun", "SUN"])
def test_cron_sunday_is_0_and_7(dow: str) -> None:
    assert cron(f"cron 0 9 * * {dow}").weekdays == {0}


def test_cron_weekday_range_ending_on_sunday() -> None:
    assert cron("cron 0 9 * * fri-sun").weekdays == {5, 6, 0}
    assert cron("cron 0 9 * * 5-7").weekdays == {5, 6, 0}
    assert cron("cron 0 9 * * 0-7").weekdays == frozenset(range(7))


def test_cron_star_step_on_day_fields_keeps_the_star_flag() -> None:
    spec = cron("cron 0 9 */2 * mon")
    assert spec.days == frozenset(range(1, 32, 2))
    assert spec.days_star
    assert not spec.or_days


def test_cron_at_exactly_five_minutes_is_allowed() -> None:
    assert cron("cron */5 * * * *").minutes == frozenset(range(0, 60, 5))
    assert cron("cron 0,5 9 * * *").minutes == {0, 5}


def test_cron_feb_29_is_allowed() -> None:
    spec = cron("cron 0 9 29 2 *")
    assert spec.days == {29}
    assert spec.months == {2}


# -- canonical text and describe ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical", "described"),
    [
        ("Daily at 9:30am", "daily 09:30", "Daily at 09:30"),
        ("every weekday 9:30", "weekdays 09:30", "Weekdays at 09:30"),
        ("sat, sun 10am", "weekends 10:00", "Weekends at 10:00"),
        ("fri wed mon 5pm", "mon,wed,fri 17:00", "Mondays, Wednesdays and Fridays at 17:00"),
        ("tue thu 8:05", "tue,thu 08:05", "Tuesdays and Thursdays at 08:05"),
        ("every monday 9:00", "mon 09:00", "Every Monday at 09:00"),
        ("mon tue wed thu fri sat sun 7:00", "daily 07:00", "Daily at 07:00"),
        (
            "every 2 weeks on fri 4pm",
            "every 2 weeks on fri 16:00 from 2026-01-05",
            "Every 2 weeks on Friday at 16:00 (counting from the week of 5 Jan 2026)",
        ),
        (
            "every 3 weeks on weekdays 9:00",
            "every 3 weeks on mon,tue,wed,thu,fri 09:00 from 2026-01-05",
            "Every 3 weeks on Monday, Tuesday, Wednesday, Thursday and Friday at 09:00 "
            "(counting from the week of 5 Jan 2026)",
        ),
        ("monthly on the 1st at 10am", "monthly on 1 at 10:00", "Monthly on the 1st at 10:00"),
        ("monthly on 2 at 10:00", "monthly on 2 at 10:00", "Monthly on the 2nd at 10:00"),
        ("monthly on 13 at 10:00", "monthly on 13 at 10:00", "Monthly on the 13th at 10:00"),
        ("monthly on 23 at 10:00", "monthly on 23 at 10:00", "Monthly on the 23rd at 10:00"),
        (
            "monthly on 31 at 10:00",
            "monthly on 31 at 10:00",
            "Monthly on the 31st at 10:00 (on the last day in shorter months)",
        ),
        ("monthly on last at 10:00", "monthly on last at 10:00", "Monthly on the last day at 10:00"),
        ("cron 0 9 * * mon-fri", "cron 0 9 * * 1-5", "Custom schedule (cron `0 9 * * 1-5`)"),
        ("cron 0,30 2 * * *", "cron */30 2 * * *", "Custom schedule (cron `*/30 2 * * *`)"),
        ("cron 0 9 1-31 * 0-6", "cron 0 9 1-31 * 0-6", "Custom schedule (cron `0 9 1-31 * 0-6`)"),
        ("cron 0 9 */2 * SUN", "cron 0 9 */2 * 0", "Custom schedule (cron `0 9 */2 * 0`)"),
        ("cron 0 9 * * sat,sun", "cron 0 9 * * 0,6", "Custom schedule (cron `0 9 * * 0,6`)"),
        ("cron 10 8-20/4 1,2,3,10 jul-sep *", "cron 10 8-20/4 1-3,10 7-9 *", None),
        ("cron 0 0 * 1,2 *", "cron 0 0 * 1,2 *", None),
        ("cron 0 0 */31 * *", "cron 0 0 */31 * *", None),
    ],
)
def test_canonical_text_and_description(text: str, canonical: str, described: str | None) -> None:
    rec = parse_schedule(text, anchor=ANCHOR)
    assert rec.to_text() == canonical
    assert str(rec) == canonical
    assert Recurrence.from_text(canonical) == rec
    assert parse_schedule(canonical) == rec
    if described is not None:
        assert rec.describe() == described


def test_equal_schedules_are_equal_and_hash_equal() -> None:
    a = parse_schedule("cron 0 9 * * mon-fri")
    b = parse_schedule("cron 0 9 * * 1,2,3,4,5")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b, parse_schedule("weekdays 9:00")}) == 2


def test_from_text_rejects_garbage_with_value_error() -> None:
    with pytest.raises(ValueError):
        Recurrence.from_text("whenever")
    with pytest.raises(ValueError):
        Recurrence.from_text("every 2 weeks on fri 16:00")  # stored text always carries its anchor


def test_invalid_recurrence_values_are_refused() -> None:
    with pytest.raises(ValueError):
        Recurrence(kind="weekly", hour=24, weekdays=ALL)
    with pytest.raises(ValueError):
        Recurrence(kind="weekly", weekdays=frozenset())
    with pytest.raises(ValueError):
        Recurrence(kind="weekly", weekdays=ALL, every_weeks=2, anchor=date(2026, 1, 6))  # a Tuesday
    with pytest.raises(ValueError):
        Recurrence(kind="weekly", weekdays=ALL, every_weeks=2)
    with pytest.raises(ValueError):
        Recurrence(kind="monthly", month_day=0)
    with pytest.raises(ValueError):
        Recurrence(kind="cron")


# -- rejections ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "when"),
        ("   ", "when"),
        ("daily", "time"),
        ("9:30", "time"),
        ("sometimes 9:30", "`sometimes`"),
        ("daily 24:00", "`24:00`"),
        ("daily 9:60", "`9:60`"),
        ("daily 9", "`9`"),
        ("daily 13pm", "`13pm`"),
        ("daily 0am", "`0am`"),
        ("daily 9:5", "`9:5`"),
        ("daily 0930", "`0930`"),
        ("funday 9:30", "`funday`"),
        ("every 9:30", "which days"),
        ("on and 9:30", "which days"),
        ("every 2 weeks on 16:00", "which days"),
        ("every 0 weeks on fri 16:00", "1 to 8"),
        ("every 9 weeks on fri 16:00", "1 to 8"),
        ("every 12 weeks on fri 16:00", "1 to 8"),
        ("every 2 weeks on fri 16:00 from 2026-02-30", "`2026-02-30`"),
        ("daily 9:30 from 2026-01-05", "every N weeks"),
        ("monthly on 0 at 10:00", "1 to 31"),
        ("monthly on 32 at 10:00", "1 to 31"),
        ("monthly at 10:00", "monthly on 1 at 10:00"),
        ("monthly on first at 10:00", "monthly on 1 at 10:00"),
        ("cron", "5 fields"),
        ("cron 0 9 * *", "5 fields"),
        ("cron 0 9 * * * *", "5 fields"),
        ("cron 60 9 * * *", "minute"),
        ("cron 0 24 * * *", "hour"),
        ("cron 0 9 0 * *", "day-of-month"),
        ("cron 0 9 32 * *", "day-of-month"),
        ("cron 0 9 * 13 *", "month"),
        ("cron 0 9 * 0 *", "month"),
        ("cron 0 9 * * 8", "day-of-week"),
        ("cron 0 9 * foo *", "month"),
        ("cron 0 9 * * funday", "day-of-week"),
        ("cron 0 9 mon * *", "day-of-month"),
        ("cron 0 9 * * 5-1", "day-of-week"),
        ("cron 0 9 * * */0", "day-of-week"),
        ("cron 0 9 1-5/0 * *", "day-of-month"),
        ("cron 0 9 5/2 * *", "day-of-month"),
        ("cron 0 9 1,,2 * *", "day-of-month"),
        ("cron 0 9 ? * 1", "day-of-month"),
        ("cron 0 9 L * *", "day-of-month"),
        ("cron -1 9 * * *", "minute"),
        ("cron 0 9 31 2 *", "never"),
        ("cron 0 9 30,31 2 *", "never"),
        ("cron 0 9 31 4,6,9,11 *", "never"),
        ("cron * * * * *", "every 1 minute;"),
        ("cron */2 * * * *", "every 2 minutes"),
        ("cron */4 9 * * *", "every 4 minutes"),
        ("cron 0,3 9 * * *", "every 3 minutes"),
        ("cron 58 23,0 * * *", None),
        ("cron 59,1 0,23 * * *", "every 2 minutes"),  # 23:59 then 00:01 the next day
    ],
)
def test_bad_inputs_are_refused_with_examples(text: str, fragment: str | None) -> None:
    if fragment is None:  # a near miss that must be accepted
        parse_schedule(text)
        return
    with pytest.raises(BadInput) as caught:
        parse_schedule(text, anchor=ANCHOR)
    message = caught.value.message
    assert fragment in message
    assert SCHEDULE_EXAMPLES in message
    assert len(message) < 600


def test_long_input_is_shown_shortened() -> None:
    with pytest.raises(BadInput) as caught:
        parse_schedule("x" * 500 + " 9:30")
    assert "x" * 61 not in caught.value.message
    assert "…" in caught.value.message


def test_backticks_in_input_cannot_break_the_message() -> None:
    with pytest.raises(BadInput) as caught:
        parse_schedule("mon`tue 9:30")
    first_line = caught.value.message.splitlines()[0]
    assert first_line.count("`") % 2 == 0


def test_examples_mention_every_form() -> None:
    for sample in ("daily", "weekdays", "weekends", "mon,wed,fri", "every 2 weeks", "monthly", "cron"):
        assert sample in SCHEDULE_EXAMPLES
    for line in SCHEDULE_EXAMPLES.splitlines()[1:]:
        example = line.split("`")[1]
        parse_schedule(example, anchor=ANCHOR)


# -- properties ---------------------------------------------------------------------------------------

recurrences = st.one_of(weekly_recs(), monthly_recs, cron_recs())


@settings(max_examples=300)
@given(recurrences)
def test_canonical_text_round_trips(rec: Recurrence) -> None:
    text = rec.to_text()
    again = Recurrence.from_text(text)
    assert again == rec
    assert hash(again) == hash(rec)
    assert again.to_text() == text
    assert text == text.strip().lower()
    assert rec.describe()


@settings(max_examples=200)
@given(cron_texts)
def test_cron_canonical_text_expands_to_the_same_sets(text: str) -> None:
    try:
        rec = parse_schedule(text)
    except BadInput:
        return
    assert parse_schedule(rec.to_text()) == rec


@st.composite
def spelled_times(draw: st.DrawFn) -> tuple[str, int, int]:
    hour, minute = draw(hour_st), draw(minute_st)
    style = draw(st.sampled_from(["24", "24short", "ampm", "ampm-space"]))
    if style == "24":
        text = f"{hour:02d}:{minute:02d}"
    elif style == "24short":
        text = f"{hour}:{minute:02d}"
    else:
        half = "am" if hour < 12 else "pm"
        twelve = hour % 12 or 12
        body = f"{twelve}" if minute == 0 and draw(st.booleans()) else f"{twelve}:{minute:02d}"
        text = body + (" " if style == "ampm-space" else "") + draw(st.sampled_from([half, half.upper()]))
    return text, hour, minute


@settings(max_examples=300)
@given(
    days=days_st,
    spelled=spelled_times(),
    separator=st.sampled_from([",", ", ", " ", "  ", " and ", "/"]),
    long_names=st.booleans(),
    upper=st.booleans(),
    at_word=st.booleans(),
)
def test_member_spellings_parse_to_the_same_schedule(
    days: frozenset[int],
    spelled: tuple[str, int, int],
    separator: str,
    long_names: bool,
    upper: bool,
    at_word: bool,
) -> None:
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    words = [names[d] if long_names else names[d][:3] for d in sorted(days)]
    time_text, hour, minute = spelled
    text = separator.join(words) + (" at " if at_word else " ") + time_text
    if upper:
        text = text.upper()
    assert parse_schedule(f"  {text} ") == Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days)
