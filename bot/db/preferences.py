"""Guild and member preferences: the settings every feature reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Literal

from bot.db.codec import (
    from_epoch_or_none,
    time_from_text,
    time_to_text,
    to_epoch,
)
from bot.db.database import Database
from bot.i18n import resolve

MissingMode = Literal["count", "names", "off"]


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    timezone: str | None = None
    manager_role_id: int | None = None
    checkin_missing: MissingMode = "count"
    celebrate: bool = True
    feedback_channel_id: int | None = None
    locale: str | None = None  # chosen with /settings language; None: Discord's preferred locale
    preferred_locale: str | None = None  # the server's preferred locale, as Discord last reported it

    @property
    def channel_locale(self) -> str:
        """The language of what Rapport posts in this server's channels."""
        return resolve(self.locale or self.preferred_locale)


@dataclass(frozen=True, slots=True)
class MemberSettings:
    user_id: int
    timezone: str | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    away_until: datetime | None = None
    summaries_opt_out: bool = False
    dm_unreachable_until: datetime | None = None
    locale: str | None = None  # chosen with /me language; None: follow their Discord client
    last_locale: str | None = None  # the client locale of their last interaction with Rapport

    @property
    def message_locale(self) -> str:
        """The language of what Rapport sends this member later (reminders, nudges, follow-ups)."""
        return resolve(self.locale or self.last_locale)

    def is_away(self, now: datetime) -> bool:
        return self.away_until is not None and self.away_until > now

    def dm_reachable(self, now: datetime) -> bool:
        return self.dm_unreachable_until is None or self.dm_unreachable_until <= now


_GUILD_COLUMNS = {
    "timezone",
    "manager_role_id",
    "checkin_missing",
    "celebrate",
    "feedback_channel_id",
    "locale",
    "preferred_locale",
}
_MEMBER_COLUMNS = {
    "timezone",
    "quiet_start",
    "quiet_end",
    "away_until",
    "summaries_opt_out",
    "dm_unreachable_until",
    "locale",
    "last_locale",
}


def _guild_from_row(row: Any) -> GuildSettings:
    return GuildSettings(
        guild_id=row["guild_id"],
        timezone=row["timezone"],
        manager_role_id=row["manager_role_id"],
        checkin_missing=row["checkin_missing"],
        celebrate=bool(row["celebrate"]),
        feedback_channel_id=row["feedback_channel_id"],
        locale=row["locale"],
        preferred_locale=row["preferred_locale"],
    )


def _member_from_row(row: Any) -> MemberSettings:
    return MemberSettings(
        user_id=row["user_id"],
        timezone=row["timezone"],
        quiet_start=time_from_text(row["quiet_start"]),
        quiet_end=time_from_text(row["quiet_end"]),
        away_until=from_epoch_or_none(row["away_until"]),
        summaries_opt_out=bool(row["summaries_opt_out"]),
        dm_unreachable_until=from_epoch_or_none(row["dm_unreachable_until"]),
        locale=row["locale"],
        last_locale=row["last_locale"],
    )


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return to_epoch(value)
    if isinstance(value, time):
        return time_to_text(value)
    if isinstance(value, bool):
        return int(value)
    return value


class PreferencesRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Locales already stored, so noting them on every interaction costs a write only when one changes.
        self._noted: dict[tuple[str, int], str] = {}

    async def note_locales(
        self, user_id: int, locale: str | None, guild_id: int | None, guild_locale: str | None, now: datetime
    ) -> None:
        """Remember the member's client locale and the server's preferred one (a write only on change)."""
        if locale and self._noted.get(("member", user_id)) != locale:
            if (await self.member(user_id)).last_locale != locale:
                await self.update_member(user_id, now, last_locale=locale)
            self._noted[("member", user_id)] = locale
        if guild_id is not None and guild_locale and self._noted.get(("guild", guild_id)) != guild_locale:
            if (await self.guild(guild_id)).preferred_locale != guild_locale:
                await self.update_guild(guild_id, now, preferred_locale=guild_locale)
            self._noted[("guild", guild_id)] = guild_locale

    async def guild(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return GuildSettings(guild_id=guild_id) if row is None else _guild_from_row(row)

    async def update_guild(self, guild_id: int, now: datetime, **changes: object) -> GuildSettings:
        unknown = set(changes) - _GUILD_COLUMNS
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        columns = sorted(changes)
        values = [_encode(changes[c]) for c in columns]
        # Column names come from the whitelist above, never from user input.
        assignments = ", ".join(f"{c} = excluded.{c}" for c in [*columns, "updated_at"])
        await self.db.execute(
            f"INSERT INTO guild_settings (guild_id, {', '.join(columns)}, updated_at) "
            f"VALUES (?, {', '.join('?' for _ in columns)}, ?) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {assignments}",
            (guild_id, *values, to_epoch(now)),
        )
        return await self.guild(guild_id)

    async def member(self, user_id: int) -> MemberSettings:
        row = await self.db.fetchone("SELECT * FROM member_settings WHERE user_id = ?", (user_id,))
        return MemberSettings(user_id=user_id) if row is None else _member_from_row(row)

    async def message_locale(self, user_id: int, guild_id: int | None) -> str:
        """The language of what is sent later to one member about a server: their choice, else the one they last
        used with Rapport, else (they never used it) the server's language."""
        member = await self.member(user_id)
        if member.locale or member.last_locale or guild_id is None:
            return member.message_locale
        return (await self.guild(guild_id)).channel_locale

    async def members(self, user_ids: list[int]) -> dict[int, MemberSettings]:
        """Preferences of many members at once (defaults for those who set nothing)."""
        found: dict[int, MemberSettings] = {}
        for start in range(0, len(user_ids), 500):
            chunk = user_ids[start : start + 500]
            rows = await self.db.fetchall(
                f"SELECT * FROM member_settings WHERE user_id IN ({', '.join('?' for _ in chunk)})", chunk
            )
            found.update({row["user_id"]: _member_from_row(row) for row in rows})
        return {uid: found.get(uid, MemberSettings(user_id=uid)) for uid in user_ids}

    async def update_member(self, user_id: int, now: datetime, **changes: object) -> MemberSettings:
        unknown = set(changes) - _MEMBER_COLUMNS
        if unknown:
            raise ValueError(f"unknown member settings: {sorted(unknown)}")
        columns = sorted(changes)
        values = [_encode(changes[c]) for c in columns]
        assignments = ", ".join(f"{c} = excluded.{c}" for c in [*columns, "updated_at"])
        await self.db.execute(
            f"INSERT INTO member_settings (user_id, {', '.join(columns)}, updated_at) "
            f"VALUES (?, {', '.join('?' for _ in columns)}, ?) "
            f"ON CONFLICT (user_id) DO UPDATE SET {assignments}",
            (user_id, *values, to_epoch(now)),
        )
        return await self.member(user_id)

    async def mark_dm_unreachable(self, user_id: int, until: datetime, now: datetime) -> None:
        await self.update_member(user_id, now, dm_unreachable_until=until)

    async def member_zone_name(self, user_id: int, guild_id: int | None, default: str) -> str:
        """The zone to show a member's times in: theirs, else the server's, else the default."""
        member = await self.member(user_id)
        if member.timezone:
            return member.timezone
        if guild_id is not None:
            guild = await self.guild(guild_id)
            if guild.timezone:
                return guild.timezone
        return default
