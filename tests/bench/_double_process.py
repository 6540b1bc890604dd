"""The Discord double in its own process, driven over stdin/stdout (one JSON object per line).

Used by ``tests/bench/bench_answers.py`` so that the figures are the bot's, not the double's: the bot runs in
the benchmark's process, the double and the members clicking and submitting forms run here, and latency is
measured from the double's own timestamps (interaction created -> the bot's callback received).

Requests:
* ``{"cmd": "world", "runs": R, "per_run": M}`` -> ``{"port", "token", "places": [[guild, channel, owner], ...]}``
* ``{"cmd": "answer", "rate": per_second, "seconds": s}`` -> figures for answers offered evenly at that rate
* ``{"cmd": "slash", "name": "about", "rate": per_second, "seconds": s}`` -> figures for that command, sent by
  each place's owner in its channel in turn, evenly at that rate
* ``{"cmd": "stop"}``
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from typing import Any

from tests.double import DiscordDouble
from tests.double.models import iter_components


def answer_ids(message: Any) -> list[str]:
    return [c["custom_id"] for c in iter_components(message.components) if c.get("custom_id", "").endswith(":answer")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


class Driver:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.places: list[tuple[Any, Any, list[Any]]] = []
        self.turn = 0
        self.owner: Any = None

    def world(self, runs: int, per_run: int) -> dict[str, Any]:
        double = self.double
        owner = self.owner = double.create_user("owner")
        out = []
        for i in range(runs):
            guild = double.create_guild(f"Team {i}", owner=owner)
            channel = double.create_channel(guild, "check-ins")
            members = [double.create_user(f"m{i}-{j}") for j in range(per_run)]
            for member in members:
                double.add_member(guild, member)
            self.places.append((guild, channel, members))
            out.append([guild.id, channel.id, owner.id])
        return {"port": double.port, "token": double.token, "places": out}

    def trim(self, finished: list[Any]) -> None:
        """Forget what the double logs for assertions, so that its memory does not pace the collector."""
        double = self.double
        double.requests.clear()
        double.gateway.dispatched.clear()
        double.gateway.received.clear()
        for session in double.gateway.sessions.values():
            session.log.clear()
        for record in finished:
            double.interactions.pop(record.id, None)
            double.interactions_by_token.pop(record.token, None)
            message = record.message
            if message is not None and message.ephemeral:
                double.world.messages.pop(message.id, None)
                double.world.messages_by_channel[message.channel_id].remove(message)
        finished.clear()

    async def answer(self, rate: float, seconds: float) -> dict[str, Any]:
        double = self.double
        bot_id = double.world.bot_user.id
        pairs = []
        for _, channel, members in self.places:
            [prompt] = [m for m in double.messages(channel) if m.author_id == bot_id and answer_ids(m)]
            pairs += [(member, prompt) for member in members]
        count = int(rate * seconds)
        spacing = 1.0 / rate
        click_ack: list[float] = []
        submit_ack: list[float] = []
        late = 0
        finished: list[Any] = []
        waiting: dict[Any, asyncio.Future[None]] = {}

        async def watcher() -> None:
            while True:
                for record in [r for r in waiting if r.response_type is not None or r.errors]:
                    waiting.pop(record).set_result(None)
                await asyncio.sleep(0.005)

        async def responded(record: Any, into: list[float]) -> None:
            nonlocal late
            future = asyncio.get_running_loop().create_future()
            waiting[record] = future
            await asyncio.wait_for(future, 60)
            if record.response_type is None:
                late += 1
                return
            into.append(record.responded_at - record.created_at)

        async def one(index: int) -> None:
            member, prompt = pairs[(self.turn + index) % len(pairs)]
            opened = await double.click(member, prompt, answer_ids(prompt)[0])
            await responded(opened, click_ack)
            if opened.response_type != 9:
                return
            submitted = await double.submit_modal(member, opened, {"q0": f"answer {index}", "mood": ["4"]})
            await responded(submitted, submit_ack)
            finished.extend((opened, submitted))

        self.turn += count
        gc.collect()
        poller = asyncio.create_task(watcher())
        tasks = []
        started = time.perf_counter()
        for index in range(count):
            delay = started + index * spacing - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if index % 100 == 0:
                self.trim(finished)
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        poller.cancel()
        self.trim(finished)
        ms = 1000.0
        return {
            "rate_per_s": rate,
            "offered": count,
            "acknowledged": len(submit_ack),
            "wall_s": round(wall, 2),
            "submit_p50_ms": round(percentile(submit_ack, 0.5) * ms, 1),
            "submit_p99_ms": round(percentile(submit_ack, 0.99) * ms, 1),
            "submit_max_ms": round(max(submit_ack, default=0) * ms, 1),
            "click_p99_ms": round(percentile(click_ack, 0.99) * ms, 1),
            "over_3s": sum(1 for v in submit_ack + click_ack if v > 3.0) + late,
        }


    async def slash(self, name: str, rate: float, seconds: float) -> dict[str, Any]:
        double = self.double
        owner = self.owner
        count = int(rate * seconds)
        acks: list[float] = []
        late = 0
        finished: list[Any] = []

        async def one(index: int) -> None:
            nonlocal late
            _, channel, _ = self.places[index % len(self.places)]
            record = await double.slash(owner, channel, name)
            try:
                await record.wait_response(timeout=60)
            except TimeoutError:
                late += 1
                return
            acks.append(record.responded_at - record.created_at)
            finished.append(record)

        gc.collect()
        tasks = []
        started = time.perf_counter()
        for index in range(count):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if index % 100 == 0:
                self.trim(finished)
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
        self.trim(finished)
        ms = 1000.0
        return {
            "command": name,
            "rate_per_s": rate,
            "offered": count,
            "acknowledged": len(acks),
            "p50_ms": round(percentile(acks, 0.5) * ms, 1),
            "p99_ms": round(percentile(acks, 0.99) * ms, 1),
            "max_ms": round(max(acks, default=0) * ms, 1),
            "late": late,
        }


async def main() -> None:
    double = DiscordDouble()
    await double.start()
    driver = Driver(double)
    try:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            request = json.loads(line)
            if request["cmd"] == "world":
                reply = driver.world(request["runs"], request["per_run"])
            elif request["cmd"] == "answer":
                reply = await driver.answer(request["rate"], request["seconds"])
            elif request["cmd"] == "slash":
                reply = await driver.slash(request["name"], request["rate"], request["seconds"])
            else:
                break
            print(json.dumps(reply), flush=True)
    finally:
        await double.stop()


if __name__ == "__main__":
    asyncio.run(main())
