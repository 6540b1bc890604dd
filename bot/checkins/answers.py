"""Members' answers to an open run: by the form, "skip this time", or a plain message in the run's thread.

Whether the run still takes answers is checked inside the write's own transaction, so nothing lands after the
close; a button or form for a closed run gets :class:`RunClosed`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.checkins.context import CheckinContext
from bot.checkins.models import MAX_ANSWER_CHARS, Answer, CheckIn, Run
from bot.errors import BadInput, ObjectNotFound, UserFacingError
from bot.markup import timestamp


class RunClosed(UserFacingError):
    """A button or form for a run that is no longer open."""

    title = "This check-in is closed"

    def __init__(self, run: Run) -> None:
        if run.status == "cancelled":
            said = UserFacingError("This check-in was deleted, so it no longer takes answers.")
        else:
            closed = run.closed_at if run.closed_at is not None and run.closed_at < run.closes_at else run.closes_at
            said = UserFacingError("This check-in closed at {when}. Thanks for stopping by.",
                                   when=timestamp(closed, "f"))
        super().__init__(said.msgid, **said.values)
        self.run = run


class Answers:
    def __init__(self, ctx: CheckinContext) -> None:
        self.ctx = ctx

    async def open_run(self, run_id: int) -> Run:
        """The run a button refers to, if it still takes answers; otherwise :class:`RunClosed`."""
        return self.still_open(await self.ctx.store.runs.get_run(run_id))

    def still_open(self, run: Run | None) -> Run:
        """:meth:`open_run` for a run already read (no second query on the hot answer path)."""
        if run is None or run.status in ("posting", "missed", "skipped", "failed"):
            raise ObjectNotFound("I couldn't find that check-in run.")
        if not run.is_open_at(self.ctx.clock.now()):
            raise RunClosed(run)
        return run

    async def answer_of(self, run_id: int, user_id: int) -> Answer | None:
        return await self.ctx.store.answers.get_answer(run_id, user_id)

    async def save(self, run: Run, user_id: int, answers: list[str], mood: int | None) -> Answer:
        """Store a member's answer to a run looked up with :meth:`open_run` (committed before returning, so
        "saved" is true when shown)."""
        cleaned = [text.strip() for text in answers][: len(run.questions)]
        cleaned += [""] * (len(run.questions) - len(cleaned))
        if any(len(text) > MAX_ANSWER_CHARS for text in cleaned):
            raise BadInput("Each answer can be up to {limit} characters.", limit=MAX_ANSWER_CHARS)
        if mood is not None and not (run.mood and 1 <= mood <= 5):
            mood = None
        if not any(cleaned) and mood is None:
            raise BadInput("Write at least one answer, or use **Skip this time** if today isn't a good day.")
        saved = await self.ctx.store.answers.save_answer(
            run.id, user_id, answers=cleaned, mood=mood, source="modal", now=self.ctx.clock.now()
        )
        if saved is None:
            raise RunClosed(await self.ctx.store.runs.get_run(run.id) or run)
        return saved

    async def skip(self, run_id: int, user_id: int) -> Answer:
        run = await self.open_run(run_id)
        saved = await self.ctx.store.answers.skip(run.id, user_id, self.ctx.clock.now())
        if saved is None:
            raise RunClosed(await self.ctx.store.runs.get_run(run.id) or run)
        return saved

    async def thread_reply(self, thread_id: int, user_id: int, text: str) -> bool:
        """A member's message in an open run's thread counts as their answer unless they used the form."""
        run_id = self.ctx.open_threads.get(thread_id)
        if run_id is None:
            return False
        run = await self.ctx.store.runs.get_run(run_id)
        now = self.ctx.clock.now()
        if run is None or not run.is_open_at(now):
            return False
        return await self.ctx.store.answers.add_thread_reply(run.id, user_id, text[:MAX_ANSWER_CHARS], now)

    async def latest_open_run(
        self,
        guild_id: int,
        checkin: CheckIn | None,
        channel_id: int | None,
        *,
        visible: Callable[[Run], Awaitable[bool]] | None = None,
    ) -> Run:
        """The open run ``/checkin answer`` means: of that check-in, else in this channel, else in the server
        (among the runs ``visible`` allows: a member is never offered a run they cannot see)."""
        now = self.ctx.clock.now()
        if checkin is not None:
            run = await self.ctx.store.runs.latest_open_run(checkin.id)
            if run is None or not run.is_open_at(now):
                if checkin.active and checkin.next_run_at is not None:
                    raise ObjectNotFound("**{name}** has no open run right now. The next one is {when}.",
                                         name=checkin.name, when=timestamp(checkin.next_run_at, "f"))
                raise ObjectNotFound("**{name}** has no open run right now.", name=checkin.name)
            return run
        runs = [r for r in await self.ctx.store.runs.open_runs_in_guild(guild_id) if r.is_open_at(now)]
        if visible is not None:
            runs = [r for r in runs if await visible(r)]
        here = [r for r in runs if r.channel_id == channel_id or r.thread_id == channel_id]
        if here or runs:
            return (here or runs)[0]
        raise ObjectNotFound("There's no open check-in in this server right now.")

