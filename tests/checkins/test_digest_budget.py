"""The digest embed fits Discord's limits whatever the answers, with everything in the attached file."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.digest import build_digest
from cogs.checkins._render import digest_embed
from tests.checkins._data import T0, answer, run

#: Long display names (32 is Discord's cap), a long check-in name, everyone blocked, many not heard from.
NAMES = {uid: f"{'N' * 28}{uid:04d}" for uid in range(1, 201)}


def worst_digest(answered: int, *, mood: bool, questions: int = 3) -> object:
    texts = ("a" * 4000, "b" * 4000, "blocked by " + "x" * 3989)[-questions:]
    answers = [answer(uid, *texts, mood=3 if mood else None) for uid in range(1, answered + 1)]
    missed = [T0 - timedelta(days=d) for d in range(30, 0, -1)]
    return build_digest(
        run(name="C" * 50, mood=mood, late=True), answers, participants=set(range(1, 201)), away=set(),
        names=NAMES, missing_mode="names", missed=missed,
    )


def test_every_digest_fits_one_embed_and_keeps_everything_in_the_file() -> None:
    for answered in (*range(1, 30), 100, 200):
        for mood, questions in ((False, 3), (True, 3), (True, 2), (True, 1)):
            digest = worst_digest(answered, mood=mood, questions=questions)
            embed = digest_embed(digest)  # type: ignore[arg-type]
            assert len(embed) <= 6000, (answered, mood, len(embed))
            assert len(embed.description or "") <= 4096
            assert all(len(f.value or "") <= 1024 for f in embed.fields) and len(embed.fields) <= 25
            attachment = digest.attachment  # type: ignore[attr-defined]
            assert attachment is not None and attachment[1].count("x" * 3989) >= answered
