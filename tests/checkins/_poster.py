"""An in-memory Poster for unit tests of the service (the end-to-end tests use the real one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.checkins.digest import Digest
from bot.checkins.models import CheckIn, ReminderStatus, Run
from bot.checkins.poster import PostingBlocked, PostingRetry


@dataclass
class RecordingPoster:
    problem: str | None = None
    fail_post: str | None = None
    roles: dict[int, set[int]] = field(default_factory=dict)
    dms_closed: set[int] = field(default_factory=set)
    prompts: list[tuple[int, str]] = field(default_factory=list)  # (run id, nonce)
    threads: list[int] = field(default_factory=list)
    digests: list[tuple[int, Digest]] = field(default_factory=list)
    reminders: list[tuple[int, int, ReminderStatus]] = field(default_factory=list)
    told: list[tuple[int, str]] = field(default_factory=list)
    existing: dict[int, int] = field(default_factory=dict)  # run id -> message id "already in the channel"
    next_id: int = 1000
    transient_posts: int = 0  # the next N prompt posts fail like a Discord 5xx or timeout
    transient_threads: int = 0
    transient_digests: int = 0
    digest_refused: bool = False  # thread and channel gone: post_digest answers False

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        return self.problem

    async def find_prompt(self, run: Run) -> int | None:
        return self.existing.get(run.id)

    async def post_prompt(self, run: Run, checkin: CheckIn) -> int:
        if self.fail_post:
            raise PostingBlocked(self.fail_post)
        if self.transient_posts:
            self.transient_posts -= 1
            raise PostingRetry("503 Service Unavailable")
        self.next_id += 1
        self.prompts.append((run.id, run.nonce))
        self.existing[run.id] = self.next_id
        return self.next_id

    async def open_thread(self, run: Run, checkin: CheckIn, message_id: int) -> int | None:
        if self.transient_threads:
            self.transient_threads -= 1
            raise PostingRetry("timed out")
        self.threads.append(message_id)
        return message_id

    async def post_digest(self, run: Run, digest: Digest) -> bool:
        if self.transient_digests:
            self.transient_digests -= 1
            raise PostingRetry("502 Bad Gateway")
        if self.digest_refused:
            return False
        self.digests.append((run.id, digest))
        return True

    async def remind(self, run: Run, checkin: CheckIn, user_id: int) -> ReminderStatus:
        status: ReminderStatus = "channel" if user_id in self.dms_closed else "dm"
        self.reminders.append((run.id, user_id, status))
        return status

    async def tell_creator(self, checkin: CheckIn, reason: str, *, paused: bool = True) -> None:
        self.told.append((checkin.created_by, reason))

    async def role_members(self, guild_id: int, role_id: int) -> set[int] | None:
        return self.roles.get(role_id)

    def display_names(
        self, guild_id: int, user_ids: Iterable[int], *, markdown: bool = True, locale: str | None = None
    ) -> dict[int, str]:
        return {uid: f"user{uid}" for uid in user_ids}
