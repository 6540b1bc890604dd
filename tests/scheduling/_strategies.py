"""Hypothesis strategies for schedules, shared by the recurrence tests."""

from __future__ import annotations

from datetime import date

from hypothesis import assume
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.timeparse import LAST_DAY, Recurrence, parse_schedule

days_st = st.frozensets(st.integers(0, 6), min_size=1)
hour_st = st.integers(0, 23)
minute_st = st.integers(0, 59)
monday_st = st.dates(date(1990, 1, 1), date(2090, 12, 31)).map(lambda d: date.fromordinal(d.toordinal() - d.weekday()))


@st.composite
def weekly_recs(draw: st.DrawFn) -> Recurrence:
    every = draw(st.integers(1, 8))
    return Recurrence(
        kind="weekly",
        hour=draw(hour_st),
        minute=draw(minute_st),
        weekdays=draw(days_st),
        every_weeks=every,
        anchor=draw(monday_st) if every > 1 else None,
    )


monthly_recs = st.builds(
    lambda d, h, m: Recurrence(kind="monthly", hour=h, minute=m, month_day=d),
    st.one_of(st.integers(1, 31), st.just(LAST_DAY)),
    hour_st,
    minute_st,
)


def cron_field(lo: int, hi: int, names: list[str] | None = None) -> st.SearchStrategy[str]:
    value = st.integers(lo, hi).map(str)
    if names:
        value = value | st.sampled_from(names)
    rng = st.tuples(st.integers(lo, hi), st.integers(lo, hi), st.integers(1, 5)).map(
        lambda t: f"{min(t[0], t[1])}-{max(t[0], t[1])}" + (f"/{t[2]}" if t[2] > 1 else "")
    )
    item = value | rng
    listed = st.lists(item, min_size=1, max_size=4).map(",".join)
    star = st.integers(1, 12).map(lambda s: "*" if s == 1 else f"*/{s}")
    return listed | star


cron_texts = st.tuples(
    st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True).map(lambda v: ",".join(map(str, v))),
    cron_field(0, 23),
    cron_field(1, 31),
    cron_field(1, 12, ["jan", "feb", "jun", "dec"]),
    cron_field(0, 7, ["mon", "tue", "sat", "sun"]),
).map(lambda f: "cron " + " ".join(f))


@st.composite
def cron_recs(draw: st.DrawFn) -> Recurrence:
    text = draw(cron_texts)
    try:
        return parse_schedule(text)
    except BadInput:
        assume(False)
        raise
