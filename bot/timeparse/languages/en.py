"""English: the grammar's own vocabulary. Every other language's table is read into these words.

English and ISO forms work for everyone, whatever their language; where a word of another language clashes
with an English one, the English meaning wins (each clash is listed in that language's table).
"""

from __future__ import annotations

from datetime import time

WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
#: The short name of each weekday (index = ``date.weekday()``), the form other languages are read into.
DAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MONTHS: dict[str, int] = {
    **dict.fromkeys(("jan", "january"), 1),
    **dict.fromkeys(("feb", "february"), 2),
    **dict.fromkeys(("mar", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("may",), 5),
    **dict.fromkeys(("jun", "june"), 6),
    **dict.fromkeys(("jul", "july"), 7),
    **dict.fromkeys(("aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip

UNITS: dict[str, str] = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
}
UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip

END_OF_WORKDAY = time(17, 0)
TONIGHT = time(20, 0)
SMALL_HOURS_END = time(6, 0)
NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
TIME_WORDS = {
    **NAMED_TIMES,
    "morning": time(9, 0),
    "afternoon": time(15, 0),
    "evening": time(18, 0),
    "night": TONIGHT,
}
_ALL_DAYS, _MONDAY_TO_FRIDAY, _WEEKEND = frozenset(range(7)), frozenset(range(5)), frozenset({5, 6})
#: The days a schedule phrase names: ``daily``, ``weekdays``, ``weekends``, a day (``fri``, ``fridays``).
SCHEDULE_DAYS: dict[str, frozenset[int]] = {
    **dict.fromkeys(("daily", "day", "days", "everyday"), _ALL_DAYS),
    **dict.fromkeys(("weekday", "weekdays"), _MONDAY_TO_FRIDAY),
    **dict.fromkeys(("weekend", "weekends"), _WEEKEND),
    **{word: frozenset({index}) for word, index in WEEKDAYS.items()},
    **{name.lower() + "s": frozenset({index}) for index, name in enumerate(DAY_NAMES)},
}
#: Words a list of days may hold besides days: ``every monday and friday``.
SCHEDULE_FILLERS = frozenset({"and", "on", "every", "each"})

#: Days counted from today.
DAY_WORDS = {"today": 0, "eod": 0, "this": 0, "tomorrow": 1, "overmorrow": 2, "yesterday": -1}

WHEN_EXAMPLES = "`tomorrow 5pm`, `fri`, `in 3 days` or `dec 1 9:30am`"
DURATION_EXAMPLES = "`30m`, `8h`, `1h 30m` or `2d`"
CLOCK_EXAMPLES = "`09:30`, `5pm` or `17:00`"
SCHEDULE_EXAMPLES = (
    "Try one of these:\n"
    "• `daily 09:30`\n"
    "• `weekdays 9am`\n"
    "• `weekends 10:00`\n"
    "• `mon,wed,fri 5:15pm`\n"
    "• `every 2 weeks on fri 16:00`\n"
    "• `monthly on 1 at 10:00` (or `monthly on last at 10:00`)\n"
    "• `cron 0 9 * * 1-5` (minute hour day month weekday)"
)

EXAMPLES: dict[str, tuple[str, ...]] = {
    "when": ("tomorrow 5pm", "fri", "in 3 days", "dec 1 9:30am"),
    "duration": ("30m", "8h", "1h 30m", "2d"),
    "clock": ("09:30", "5pm", "17:00"),
    "schedule": ("daily 09:30", "weekdays 9am", "mon,wed,fri 5:15pm", "every 2 weeks on fri 16:00"),
}
