"""The drafted summary and the status lines: pure functions over plain records."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.repair.models import Ownership, Progress, Reflection, Repair, RepairRecord, View
from bot.repair.summary import draft_summary, state_label, status_lines
from cogs.repair._render import batches, summary_embeds, thread_name, views_embed

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
ALICE, BOB, CAROL = 1, 2, 3


def repair(**changes: object) -> Repair:
    base = Repair(
        id=1, guild_id=10, channel_id=20, thread_id=21, control_message_id=22, starter_id=ALICE, partner_id=BOB,
        mediator_id=None, topic=None, followup_days=7, state="open", created_at=NOW, views_posted_at=None,
        close_requested_by=None, close_note=None, summary_version=0, summary_text=None, closed_at=None,
        summary_message_id=None, shared_at=None, followup_at=None, followup_posted_at=None,
        followup_message_id=None, followup_done_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def view(user_id: int, text: str) -> View:
    return View(1, user_id, f"{text} happened", f"{text} affected", f"{text} need", NOW)


def progress(**changes: object) -> Progress:
    base = Progress(frozenset(), 0, 0, frozenset(), frozenset(), frozenset(), frozenset())
    return replace(base, **changes)  # type: ignore[arg-type]


def test_unrevealed_views_never_reach_the_summary() -> None:
    record = RepairRecord(repair(), (view(ALICE, "SECRET"),), (), ())
    text = "\n".join(draft_summary(record, None))
    assert "SECRET" not in text and "not shared in writing" in text
    # Even both views stay out unless they were revealed.
    record = RepairRecord(repair(), (view(ALICE, "SECRET"), view(BOB, "OTHER")), (), ())
    assert "SECRET" not in "\n".join(draft_summary(record, None))


def test_full_summary_in_order_with_inert_mentions() -> None:
    revealed = repair(views_posted_at=NOW, mediator_id=CAROL, topic="the launch")
    reflections = (
        Reflection(1, 1, ALICE, BOB, "you felt rushed", NOW, 5, "right", None, NOW),
        Reflection(2, 1, BOB, ALICE, "you wanted notice @everyone", NOW, 6, "not_quite", "I wanted a say", NOW),
        Reflection(3, 1, ALICE, BOB, "unanswered one", NOW, 7, None, None, None),
    )
    owned = (
        Ownership(1, ALICE, "I snapped", "Ask first", 50, 4, NOW),
        Ownership(1, BOB, "I didn't explain", "Explain changes", None, None, NOW),
    )
    lines = draft_summary(RepairRecord(revealed, (view(BOB, "B"), view(ALICE, "A")), reflections, owned),
                          "Fridays <@99>")
    text = "\n".join(lines)
    assert lines[0] == "Between <@1> and <@2>, with <@3> mediating."
    assert "**Topic:** the launch" in text
    order = [text.index(part) for part in ("A happened", "B happened", "you felt rushed", "I snapped",
                                           "Ask first (commitment #4)", "Agreed together:")]
    assert order == sorted(order)
    assert "<@2>: That's right." in text and "Not quite: I wanted a say" in text and "(not answered)" in text
    assert "Explain changes" in text and "Explain changes (commitment" not in text
    assert "@\u200beveryone" in text and "<@\u200b99>" in text


def test_empty_sections_say_so() -> None:
    text = "\n".join(draft_summary(RepairRecord(repair(views_posted_at=NOW), (view(ALICE, "a"), view(BOB, "b")),
                                                (), ()), None))
    assert "No reflections were written." in text
    assert "Nobody wrote down their part." in text
    assert "None written down." in text


def test_state_labels_never_show_content() -> None:
    assert state_label(repair(), progress(shared=frozenset({ALICE}))) == "step 1: 1 of 2 views shared"
    assert "steps 2–3" in state_label(repair(views_posted_at=NOW), progress())
    assert "1 of 2 approvals" in state_label(repair(state="closing"), progress(post_approvals=frozenset({BOB, CAROL})))
    assert "follow-up <t:" in state_label(repair(state="closed", followup_at=NOW + timedelta(days=7)), progress())
    assert "1 of 2 answered" in state_label(
        repair(state="closed", followup_at=NOW, followup_posted_at=NOW), progress(followup_answers=frozenset({ALICE}))
    )
    assert state_label(repair(state="closed", followup_done_at=NOW), progress()) == "closed and followed up"
    lines = status_lines(repair(), progress(shared=frozenset({ALICE})))
    assert "<@1> ✓, <@2> …" in lines[1] and "hidden until both" in lines[1]


def test_views_fit_one_embed_at_the_form_limits() -> None:
    long = "@everyone " * 80  # 800 characters, each mention made inert (longer once escaped)
    big = View(1, ALICE, long, long, long, NOW)
    embed = views_embed(repair(), [big, replace(big, user_id=BOB)], {ALICE: "a" * 32, BOB: "b" * 32})
    assert len(embed) <= 6000
    assert [(f.name or "").split(":")[0] for f in embed.fields[:2]] == ["a" * 32, "b" * 32]


def test_long_summaries_are_split_within_discord_limits() -> None:
    lines = [f"line {i} " + "x" * 900 for i in range(40)]
    embeds = summary_embeds(lines, title="Repair summary")
    groups = batches(embeds)
    assert len(groups) > 1
    for group in groups:
        assert len(group) <= 10 and sum(len(e) for e in group) <= 6000
    assert sum(len(g) for g in groups) == len(embeds)


def test_thread_names_fit() -> None:
    assert thread_name("t" * 200, "a", "b").startswith("Repair: t") and len(thread_name("t" * 200, "a", "b")) == 100
    assert thread_name(None, "alice", "bob") == "Repair: alice & bob"
