"""What commitments say: limits and inert member text (pure rendering, no Discord connection)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.commitments.models import Commitment, CommitmentEvent
from bot.markup import EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT
from cogs.commitments import _render as render

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


def commitment(text: str = "Ship it", **changes: object) -> Commitment:
    values: dict[str, object] = dict(
        id=1, guild_id=10, number=12, owner_id=5, creator_id=6, text=text, status="open",
        due_at=NOW + timedelta(days=1), source_kind="summary", source_url="https://discord.com/channels/10/20/30",
        source_channel_id=20, created_at=NOW, opened_at=NOW, closed_at=None, round=0, round_started_at=NOW,
        step_index=0, snooze_until=None, snooze_count=0, last_nudge_at=None, last_dm_at=None, unanswered_dms=0,
        escalated=False, help_asked_at=None, next_nudge_at=NOW, version=0, updated_at=NOW,
    )
    values.update(changes)
    return Commitment(**values)  # type: ignore[arg-type]


def test_a_long_history_fits_in_one_embed() -> None:
    events = [CommitmentEvent(1, 1, 10, NOW, 5, "created", None, NOW, None)]
    events += [
        CommitmentEvent(i, 1, 10, NOW + timedelta(hours=i), 5, "renegotiated", NOW, NOW + timedelta(days=i), "n" * 200)
        for i in range(2, 200)
    ]
    (embed,) = render.show_embeds(commitment("x" * 300), events, [])
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert embed.description is not None and len(embed.description) <= EMBED_DESCRIPTION_LIMIT
    lines = embed.description.splitlines()
    assert "added by <@5>" in lines[1] and "earlier entries" in lines[2]
    assert f"<t:{int((NOW + timedelta(days=199)).timestamp())}:f>" in lines[-1]  # the latest entry is kept


def test_member_text_is_inert_everywhere() -> None:
    c = commitment("@everyone <@&99> <@7> @here")
    for text in (
        render.added_text(c, "UTC"),
        render.nudge_dm(c, "before", "Team"),
        render.nudge_fallback(c),
        render.escalation_text(c),
        render.help_text(c),
        render.celebration_text(c),
        render.proposal_dm(c, "Team"),
    ):
        assert "@everyone" not in text and "@here" not in text
        assert "<@&99>" not in text and "<@7>" not in text
    assert render.help_text(c).startswith("<@5> could use a hand with: **#12**")
    assert render.celebration_text(c).startswith("🎉 <@5> followed through: ")
    assert "a summary ([link](https://discord.com/channels/10/20/30))" in render.source_text(c)


def test_public_texts_never_say_late_or_overdue() -> None:
    c = commitment()
    for text in (render.nudge_fallback(c), render.escalation_text(c), render.help_text(c)):
        assert "overdue" not in text.lower() and "late" not in text.lower()
