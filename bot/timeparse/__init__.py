"""The one date and time grammar: what members type for durations, times of day, dates and schedules.

Every function here is pure: the current instant and the member's zone are passed in. Anything that cannot
be understood raises :class:`bot.errors.BadInput` with a short, kind message; any of the member's own text
that is echoed back is cut to a few dozen characters and has its mentions and backticks neutralised. Text
is capped before any pattern runs, and every pattern runs in linear time.

Returned datetimes are always timezone-aware, and instants are always in UTC.

* :mod:`~bot.timeparse.durations`: ``30m``, ``1h 30m``, ``2 days``; :func:`format_duration`.
* :mod:`~bot.timeparse.clock`: times of day and quiet-hours windows.
* :mod:`~bot.timeparse.instants`: dates and times (``tomorrow 5pm``, ``fri``, ``in 3 days``), on top of the
  calendar arithmetic in :mod:`~bot.timeparse.days`.
* :mod:`~bot.timeparse.weekdays`: one day of the week typed alone (``fri``, ``freitag``).
* :mod:`~bot.timeparse.deadlines`: finding a due date in a chat sentence ("I'll send it by Friday").
* :mod:`~bot.timeparse.schedules`: schedule phrases (``weekdays 09:30``, ``cron 0 9 * * 1-5``) into a
  :class:`~bot.timeparse.rules.Recurrence`; cron fields in :mod:`~bot.timeparse.cron`.
* :mod:`~bot.timeparse.languages`: one table of words per shipped language (English first, then German,
  Spanish, French, Brazilian Portuguese), and :func:`examples` of each field for a member's locale.

A refusal shows examples in the member's language: the error carries the kind of field, as
``BadInput("… Try {examples}.", examples=WHEN_INPUT)`` (an :class:`Examples`), and the one error path
(``bot.adapter.tree`` through :meth:`bot.errors.UserFacingError.text`) writes them for the reader's locale:
``freitag``, ``in 3 Tagen`` for a German client, ``amanhã 17h`` for a Brazilian one. ``str(error)`` is English.
"""

from bot.timeparse.clock import in_quiet_hours, parse_clock, parse_quiet_hours, quiet_hours_end
from bot.timeparse.cron import CronSpec
from bot.timeparse.durations import format_duration, parse_duration
from bot.timeparse.instants import parse_away_until, parse_when
from bot.timeparse.languages import (
    CLOCK_INPUT,
    DAY_INPUT,
    DURATION_INPUT,
    SCHEDULE_INPUT,
    WHEN_INPUT,
    Examples,
    examples,
)
from bot.timeparse.languages.en import CLOCK_EXAMPLES, DURATION_EXAMPLES, SCHEDULE_EXAMPLES, WHEN_EXAMPLES
from bot.timeparse.rules import LAST_DAY, Recurrence
from bot.timeparse.schedules import MAX_SCHEDULE_CHARS, parse_schedule
from bot.timeparse.text import MAX_INPUT_CHARS
from bot.timeparse.weekdays import parse_weekday

__all__ = [
    "CLOCK_EXAMPLES",
    "CLOCK_INPUT",
    "DAY_INPUT",
    "DURATION_EXAMPLES",
    "DURATION_INPUT",
    "LAST_DAY",
    "MAX_INPUT_CHARS",
    "MAX_SCHEDULE_CHARS",
    "SCHEDULE_EXAMPLES",
    "SCHEDULE_INPUT",
    "WHEN_EXAMPLES",
    "WHEN_INPUT",
    "CronSpec",
    "Examples",
    "Recurrence",
    "examples",
    "format_duration",
    "in_quiet_hours",
    "parse_away_until",
    "parse_clock",
    "parse_duration",
    "parse_quiet_hours",
    "parse_schedule",
    "parse_weekday",
    "parse_when",
    "quiet_hours_end",
]
