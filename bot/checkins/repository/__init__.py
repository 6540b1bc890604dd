"""The check-in tables, one repository each: parameterized SQL, portable to PostgreSQL, dataclasses out.

Each public method is one transaction; methods taking ``conn`` first join the caller's transaction instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.checkins.repository.answers import AnswerRepo
from bot.checkins.repository.checkins import CheckinRepo
from bot.checkins.repository.reminders import ReminderRepo
from bot.checkins.repository.runs import RunRepo
from bot.db.database import Database

__all__ = ["AnswerRepo", "CheckinRepo", "CheckinStore", "ReminderRepo", "RunRepo"]


@dataclass(frozen=True, slots=True)
class CheckinStore:
    checkins: CheckinRepo
    runs: RunRepo
    answers: AnswerRepo
    reminders: ReminderRepo

    @classmethod
    def over(cls, db: Database) -> CheckinStore:
        return cls(CheckinRepo(db), RunRepo(db), AnswerRepo(db), ReminderRepo(db))
