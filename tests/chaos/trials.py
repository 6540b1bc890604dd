"""SIGKILL trials: the real ``python -m bot`` killed at a seeded random point while work is in flight.

Each trial, against one Discord double and one database kept across trials:

1. while the bot is down, check-ins are seeded that fall due a moment after it starts again;
2. the bot starts (its own process, real clock), and members open the **Answer** form of open runs;
3. a burst: form answers submitted, commitments proposed to other members (a DM each), the seeded
   check-ins falling due (a post, a thread), all at seeded times;
4. ``kill -9`` at a seeded time inside the burst, then a restart on the same database;
5. counted once the restarted bot has settled: an answer whose submission was acknowledged but is not
   stored, or a proposal that got its final reply but is not stored (*lost*); a prompt or proposal DM
   that exists more than once in the double (*duplicates*); a run still ``posting`` 30 s after it fell due, or
   a check-in 30 s past due with no run (*stuck*); a proposal never sent to its owner (*unsent*).

    .venv/bin/python -m tests.chaos.trials --trials 20      # figures; exit status 1 if any count is not 0

``tests/chaos/test_sigkill.py`` runs a few of the same trials in the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.db.database import Database
from tests.double import DiscordDouble, InteractionRecord, Message, User
from tests.double.models import iter_components

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 12
STUCK_AFTER = 30.0  # seconds after falling due: a restart (slow on a busy machine) and the 20 s settle
QUESTIONS = json.dumps(["What did you get done?", "What's next?", "Any blockers?"])


@dataclass
class Counts:
    trials: int = 0
    answers_acknowledged: int = 0
    proposals_acknowledged: int = 0
    runs_due: int = 0
    lost: int = 0
    duplicates: int = 0
    stuck: int = 0
    unsent: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def bad(self, kind: str, what: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {what}")


def _custom_ids(message: Message) -> list[str]:
    return [c["custom_id"] for c in iter_components(message.components) if "custom_id" in c]


class Chaos:
    def __init__(self, double: DiscordDouble, folder: Path, seed: int) -> None:
        self.double = double
        self.db_path = folder / "data" / "rapport.db"
        self.rng = random.Random(seed)
        self.process: asyncio.subprocess.Process | None = None
        self.owner = double.create_user("olivia")
        self.guild = double.create_guild("Team", owner=self.owner)
        self.members = [double.create_user(f"m{i}") for i in range(MEMBERS)]
        for member in self.members:
            double.add_member(self.guild, member)
        self.channel = double.create_channel(self.guild, "check-ins")
        self.log = folder / "bot.log"
        self.identifies = 0
        self.seeded: dict[int, float] = {}  # check-in id -> when it falls due (epoch)
        self.reported: set[str] = set()

    # -- the bot process -----------------------------------------------------------------------------------------
    async def start_bot(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DISCORD_TOKEN": self.double.token,
            "DATABASE_PATH": str(self.db_path),
            "LOG_LEVEL": "WARNING",
        }
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.e2e._launch_bot", f"http://127.0.0.1:{self.double.port}",
                cwd=ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        self.identifies += 1
        want = self.identifies
        await self.double.wait_gateway(
            lambda r: r.op == 2 and sum(1 for g in self.double.gateway_received if g.op == 2) >= want, timeout=60
        )
        await self.double.wait_until(lambda: self.double.connected, timeout=30)
        await asyncio.sleep(0.6)  # GUILD_CREATE, member chunking and start-up reconciliation in the child

    async def kill_bot(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
        self.process = None

    async def stop_bot(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                await self.kill_bot()
        self.process = None

    # -- the database ------------------------------------------------------------------------------------------
    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()

    async def seed_checkins(self, count: int, due_in: float) -> list[int]:
        """Check-ins whose next run falls ``due_in`` seconds from now (written while the bot is down)."""
        db = await Database.open(self.db_path)
        try:
            await db.migrate()
        finally:
            await db.close()
        now = int(time.time())
        due = int(time.time() + due_in)
        ids = []
        with sqlite3.connect(self.db_path) as conn:
            for i in range(count):
                cursor = conn.execute(
                    "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
                    "participants_role_id, window_seconds, remind_before_seconds, mood, anonymous_mood, created_by, "
                    "created_at, updated_at, next_run_at) VALUES (?, ?, ?, 'daily 09:00', 'UTC', 'standup', ?, NULL, "
                    "28800, NULL, 1, 0, ?, ?, ?, ?)",
                    (self.guild.id, self.channel.id, f"Stand-up {due}-{i}", QUESTIONS, self.owner.id, now, now, due),
                )
                ids.append(int(cursor.lastrowid or 0))
                self.seeded[ids[-1]] = due
        return ids

    # -- the double ---------------------------------------------------------------------------------------------
    def prompts(self) -> list[Message]:
        bot_id = self.double.bot_user.id
        return [
            m for m in self.double.messages(self.channel)
            if m.author_id == bot_id and any(c.endswith(":answer") for c in _custom_ids(m))
        ]  # fmt: skip

    def proposal_dms(self, user: User) -> list[str]:
        return [c for m in self.double.dm_messages(user) for c in _custom_ids(m) if c.endswith(":accept")]

    # -- one trial -----------------------------------------------------------------------------------------------
    async def trial(self, counts: Counts) -> None:
        started = time.perf_counter()
        rng = self.rng
        if self.process is None:  # the first trial: runs open at start-up, so there are forms to answer
            first = await self.seed_checkins(rng.randint(1, 3), due_in=0.5)
            await self.start_bot()
            await self.double.wait_until(lambda: len(self.prompts()) >= len(first), timeout=30)
        # Members open the Answer form of every open run they have not answered.
        open_runs = self.prompts()[-4:]
        forms: list[tuple[User, InteractionRecord, int]] = []
        answered = {(r, u) for r, u in self.rows("SELECT run_id, user_id FROM checkin_answers")}
        for prompt in open_runs:
            custom_id = next(c for c in _custom_ids(prompt) if c.endswith(":answer"))
            run_id = int(custom_id.split(":")[1])
            for member in rng.sample(self.members, 4):
                if (run_id, member.id) in answered:
                    continue
                opened = await self.double.click(member, prompt, custom_id)
                await opened.wait_response(timeout=10)
                if opened.response_type == 9:
                    forms.append((member, opened, run_id))
        # The burst: answers, proposals (a DM each) and the seeded check-ins falling due, killed at a random point.
        submits: list[tuple[InteractionRecord, int, int]] = []
        proposals: list[tuple[InteractionRecord, User, str]] = []
        kill_at = rng.uniform(0.05, 1.6)
        burst_start = time.perf_counter()

        async def submit(member: User, opened: InteractionRecord, run_id: int, at: float) -> None:
            await asyncio.sleep(at)
            record = await self.double.submit_modal(member, opened, {"q0": f"done {run_id}", "mood": ["4"]})
            submits.append((record, run_id, member.id))

        async def propose(index: int, at: float) -> None:
            await asyncio.sleep(at)
            creator, owner = rng.sample(self.members, 2)
            text = f"chaos {counts.trials}-{index} {rng.randrange(10**9)}"
            record = await self.double.slash(creator, self.channel, "commit add", what=text, owner=owner)
            proposals.append((record, owner, text))

        work = [submit(m, o, r, rng.uniform(0, 1.5)) for m, o, r in forms]
        work += [propose(i, rng.uniform(0, 1.5)) for i in range(rng.randint(2, 5))]
        tasks = [asyncio.ensure_future(w) for w in work]
        await asyncio.sleep(max(0.0, kill_at - (time.perf_counter() - burst_start)))
        await self.kill_bot()
        await asyncio.gather(*tasks)
        acknowledged_answers = [(r, u) for record, r, u in submits if record.response_type is not None]
        # A proposal is acknowledged once its deferred reply is filled in; a refusal (type 4: a cooldown, too many
        # pending) stores nothing by design.
        acknowledged_proposals = [
            (owner, text)
            for record, owner, text in proposals
            if record.response_type == 5 and (record.followups or (record.message and record.message.edits))
        ]
        # While it is down, seed the check-ins that fall due during the next trial; then restart on the same
        # database and let it settle: start-up reconciliation, due check-ins, retries.
        await self.seed_checkins(rng.randint(1, 3), due_in=rng.uniform(2.5, 4.0))
        await self.start_bot()
        await self.settle()
        counts.trials += 1
        counts.answers_acknowledged += len(acknowledged_answers)
        counts.proposals_acknowledged += len(acknowledged_proposals)
        counts.runs_due = len(self.due_by(time.time()))
        stored = {(r, u) for r, u in self.rows("SELECT run_id, user_id FROM checkin_answers")}
        for run_id, user_id in acknowledged_answers:
            if (run_id, user_id) not in stored:
                counts.bad("lost", f"trial {counts.trials}: the answer of {user_id} to run {run_id}")
        for owner, text in acknowledged_proposals:
            if not self.rows("SELECT 1 FROM commitments WHERE owner_id = ? AND text = ?", (owner.id, text)):
                counts.bad("lost", f"trial {counts.trials}: the proposal {text!r}")
        self.count_duplicates_and_stuck(counts)
        counts.seconds.append(time.perf_counter() - started)

    def due_by(self, at: float) -> list[int]:
        return [checkin_id for checkin_id, due in self.seeded.items() if due <= at]

    async def settle(self) -> None:
        """Wait (at most 20 s) until every check-in due by now has a run, no run is being posted and every
        proposal was sent to its owner (one cut short by the kill is asked by the restarted bot)."""
        started = time.monotonic()
        deadline = started + 20
        while time.monotonic() < deadline:
            waiting = self.rows("SELECT count(*) FROM checkin_runs WHERE status = 'posting'")[0][0]
            due = self.due_by(time.time())
            have = {r[0] for r in self.rows("SELECT DISTINCT checkin_id FROM checkin_runs")}
            unsent = self.unsent_proposals()
            if not waiting and set(due) <= have and not unsent:
                await asyncio.sleep(0.3)
                return
            await asyncio.sleep(0.1)

    def unsent_proposals(self) -> list[tuple[int, int]]:
        out = []
        for commitment_id, owner_id in self.rows("SELECT id, owner_id FROM commitments WHERE status = 'proposed'"):
            owner = self.double.world.users[owner_id]
            if f"commit:{commitment_id}:accept" not in self.proposal_dms(owner):
                out.append((commitment_id, owner_id))
        return out

    def count_duplicates_and_stuck(self, counts: Counts) -> None:
        seen: dict[str, int] = {}
        for prompt in self.prompts():
            for custom_id in _custom_ids(prompt):
                if custom_id.endswith(":answer"):
                    seen[custom_id] = seen.get(custom_id, 0) + 1
        for member in [*self.members, self.owner]:
            for custom_id in self.proposal_dms(member):
                seen[custom_id] = seen.get(custom_id, 0) + 1
        for custom_id, n in seen.items():
            if n > 1 and custom_id not in self.reported:  # each duplicate counted once, in the trial that made it
                self.reported.add(custom_id)
                counts.bad("duplicates", f"trial {counts.trials}: {custom_id} posted {n} times")
        # Stuck: due long enough ago (a restart and the whole settle time) and still posting, or with no run. A
        # check-in falling due while the checks run is simply being posted; the next trial looks at it again.
        long_ago = time.time() - STUCK_AFTER
        for run_id, scheduled_at in self.rows("SELECT id, scheduled_at FROM checkin_runs WHERE status = 'posting'"):
            if scheduled_at <= long_ago and f"run:{run_id}" not in self.reported:
                self.reported.add(f"run:{run_id}")
                counts.bad("stuck", f"trial {counts.trials}: run {run_id} still posting")
        have = {r[0] for r in self.rows("SELECT DISTINCT checkin_id FROM checkin_runs")}
        for checkin_id in self.due_by(long_ago):
            if checkin_id not in have and f"checkin:{checkin_id}" not in self.reported:
                self.reported.add(f"checkin:{checkin_id}")
                counts.bad("stuck", f"trial {counts.trials}: check-in {checkin_id} fell due and has no run")
        for commitment_id, owner_id in self.unsent_proposals():
            if f"unsent:{commitment_id}" in self.reported:
                continue
            self.reported.add(f"unsent:{commitment_id}")
            counts.bad("unsent", f"trial {counts.trials}: proposal {commitment_id} never sent to {owner_id}")


async def run_trials(trials: int, seed: int = 20261202) -> Counts:
    double = DiscordDouble()
    await double.start()
    patcher = pytest.MonkeyPatch()
    double.point_discord_py_here(patcher)
    counts = Counts()
    with tempfile.TemporaryDirectory() as folder:
        chaos = Chaos(double, Path(folder), seed)
        try:
            for _ in range(trials):
                await chaos.trial(counts)
        finally:
            await chaos.stop_bot()
            keep = os.environ.get("RAPPORT_CHAOS_KEEP_LOG")
            if keep:
                Path(keep).write_bytes(chaos.log.read_bytes())
            if counts.problems:
                lines = chaos.log.read_text(errors="replace").splitlines()
                noisy = "voice will NOT be supported"
                wanted = [line for line in lines if ("WARNING" in line or "ERROR" in line) and noisy not in line]
                counts.problems += [f"log: {line}" for line in wanted][-15:]
            await double.stop()
            patcher.undo()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    started = datetime.now(UTC)
    counts = asyncio.run(run_trials(args.trials, args.seed))
    figures = {k: v for k, v in vars(counts).items() if k not in ("problems", "seconds")}
    figures["median_trial_s"] = round(sorted(counts.seconds)[len(counts.seconds) // 2], 2) if counts.seconds else 0
    figures["wall_s"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    print(json.dumps(figures))
    for problem in counts.problems:
        print(problem)
    return 1 if counts.problems else 0


if __name__ == "__main__":
    sys.exit(main())
