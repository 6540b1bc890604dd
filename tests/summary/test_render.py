"""Markdown and Discord-embed rendering: limits, links, and nothing lost."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.summary.models import ActionItem, Bullet, ChatMessage, Participant, Summary
from bot.summary.offline import summarize
from bot.summary.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    MESSAGE_TOTAL_LIMIT,
    TITLE_LIMIT,
    dlen,
    needs_attachment,
    render,
    to_markdown,
)


def _embed_chars(embed: dict[str, object]) -> int:
    total = dlen(str(embed.get("title", ""))) + dlen(str(embed.get("description", "")))
    for f in embed["fields"]:  # type: ignore[attr-defined]
        total += dlen(f["name"]) + dlen(f["value"])
    return total


def _assert_within_limits(messages: list[list[dict[str, object]]]) -> None:
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(_embed_chars(e) for e in embeds) <= MESSAGE_TOTAL_LIMIT
        for embed in embeds:
            assert dlen(str(embed.get("title", ""))) <= TITLE_LIMIT
            assert dlen(str(embed.get("description", ""))) <= DESCRIPTION_LIMIT
            fields = embed["fields"]
            assert isinstance(fields, list)
            assert len(fields) <= FIELDS_LIMIT
            for f in fields:
                assert 0 < dlen(f["name"]) <= FIELD_NAME_LIMIT
                assert 0 < dlen(f["value"]) <= FIELD_VALUE_LIMIT
            assert _embed_chars(embed) <= EMBED_TOTAL_LIMIT


def _bullet_lines(messages: list[list[dict[str, object]]]) -> list[str]:
    lines = []
    for embeds in messages:
        for embed in embeds:
            for f in embed["fields"]:  # type: ignore[attr-defined]
                lines += f["value"].split("\n")
    return lines


def _long_chat(n: int) -> list[ChatMessage]:
    rng = random.Random(3)
    people = ["Maya", "Sam", "Priya", "Tom", "Lena", "Omar"]
    topics = ["the venue contract", "the speaker travel budget", "the accessibility review",
              "the sponsorship deck", "the volunteer rota", "the livestream setup"]
    templates = [
        "I'll prepare {t} by Friday and share it in the planning channel, including every open item we "
        "discussed, the costs we know so far, the risks, and the names of the people who still owe answers.",
        "{p}, can you double-check {t} before Monday? The last version had several mistakes in the totals, "
        "a few missing signatures, and at least two dates that no longer match the schedule we agreed on.",
        "Who is responsible for {t} after the handover, and do we already know whether the deadline moves "
        "with the rest of the programme or stays where it was in the original plan from last autumn?",
        "We decided to keep {t} as it is for this year, because changing it now would cost more time than it "
        "saves, and we can revisit the whole thing properly once the event is over and the numbers are in.",
        "Honestly {t} is the part that worries me most, since nobody has looked at it in weeks and the "
        "suppliers keep sending updates that contradict each other about prices, quantities and timing.",
    ]
    start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        author = rng.randrange(len(people))
        other = people[(author + 1) % len(people)]
        text = rng.choice(templates).format(t=rng.choice(topics) + f" #{i}", p=other)
        out.append(ChatMessage(
            id=5000 + i, author_id=author + 1, author_name=people[author],
            created_at=start + timedelta(minutes=3 * i), content=text,
            jump_url=f"https://discord.com/channels/1/2/{5000 + i}",
        ))
    return out


def test_two_thousand_long_messages_render_within_every_limit_and_lose_nothing() -> None:
    summary = summarize(_long_chat(2000), excluded_count=5)
    assert len(summary.action_items) > 300
    assert len(summary.decisions) > 100
    assert len(summary.open_questions) > 0
    rendered = render(summary)
    _assert_within_limits(rendered.messages)
    assert len(rendered.messages) > 1
    assert rendered.needs_attachment
    assert needs_attachment(summary)

    bullets: list[Bullet | ActionItem] = [
        *summary.key_points, *summary.decisions, *summary.action_items, *summary.open_questions,
    ]
    lines = _bullet_lines(rendered.messages)
    # Every bullet appears once in the embeds, in order, and links to its source message.
    assert len(lines) == len(bullets)
    for line, bullet in zip(lines, bullets, strict=True):
        assert line.startswith("- ")
        assert line.endswith(f"[↗]({bullet.jump_url})")
        assert bullet.text[:40] in line
    # The Markdown holds everything, unshortened, each with its link.
    markdown = rendered.markdown
    for bullet in bullets:
        assert f"{bullet.text}" in markdown
        assert f"[↗]({bullet.jump_url})" in markdown
    assert markdown.count("\n- ") == len(bullets)
    assert "5 messages left out" in markdown


def _summary(**kw: object) -> Summary:
    base = {
        "participants": (Participant(1, "Maya", 3), Participant(2, "Sam", 1)),
        "message_count": 4,
    }
    base.update(kw)
    return Summary(**base)  # type: ignore[arg-type]


def test_small_summary_is_one_embed_with_sections() -> None:
    due = datetime(2025, 3, 7, 17, 0, tzinfo=UTC)
    summary = _summary(
        key_points=(Bullet("Maya booked the hall.", 10, "https://d/10"),),
        decisions=(Bullet("Maya and Sam agreed to go with the blue logo.", 11, "https://d/11"),),
        action_items=(ActionItem(2, "Sam", "send the draft by Friday", due, "by Friday",
                                 "Sam will send the draft by Friday.", 12, "https://d/12"),),
        open_questions=(Bullet("Maya: Who brings the projector?", 13, "https://d/13"),),
        excluded_count=1,
    )
    rendered = render(summary, title="Planning call")
    assert rendered.needs_attachment is False
    assert rendered.messages == [[{
        "title": "Planning call",
        "description": "**Participants:** Maya (3), Sam (1)\n4 messages summarised; "
                       "1 message left out at their authors' request.",
        "color": 0x5865F2,
        "fields": [
            {"name": "Key points", "value": "- Maya booked the hall. [↗](https://d/10)", "inline": False},
            {"name": "Decisions", "value": "- Maya and Sam agreed to go with the blue logo. [↗](https://d/11)",
             "inline": False},
            {"name": "Action items",
             "value": f"- Sam will send the draft by Friday. (due <t:{int(due.timestamp())}:f>) [↗](https://d/12)",
             "inline": False},
            {"name": "Open questions", "value": "- Maya: Who brings the projector? [↗](https://d/13)",
             "inline": False},
        ],
    }]]
    assert rendered.markdown == (
        "# Planning call\n\n"
        "**Participants:** Maya (3), Sam (1)\n"
        "_4 messages summarised; 1 message left out at their authors' request._\n\n"
        "## Key points\n- Maya booked the hall. [↗](https://d/10)\n\n"
        "## Decisions\n- Maya and Sam agreed to go with the blue logo. [↗](https://d/11)\n\n"
        "## Action items\n- Sam will send the draft by Friday. (due Fri 07 Mar 2025, 17:00 UTC) [↗](https://d/12)\n\n"
        "## Open questions\n- Maya: Who brings the projector? [↗](https://d/13)\n"
    )


def test_an_over_long_bullet_is_shortened_in_embeds_only() -> None:
    text = "Sam: " + "very long point with many words 😀 " * 120
    summary = _summary(key_points=(Bullet(text, 10, "https://d/10"),))
    rendered = render(summary)
    _assert_within_limits(rendered.messages)
    (line,) = _bullet_lines(rendered.messages)
    assert line.endswith("… [↗](https://d/10)")
    assert dlen(line) <= FIELD_VALUE_LIMIT
    assert rendered.needs_attachment
    assert text.strip() in rendered.markdown


def test_empty_summary_renders() -> None:
    rendered = render(Summary())
    assert rendered.messages == [[{
        "title": "Conversation summary",
        "description": "0 messages summarised.\n\nNothing to summarise yet.",
        "color": 0x5865F2,
        "fields": [],
    }]]
    assert "Nothing to summarise yet" in to_markdown(Summary())
    assert not rendered.needs_attachment


def test_headings_and_counts_are_in_the_readers_language_and_the_bullets_stay() -> None:
    due = datetime(2025, 3, 7, 17, 0, tzinfo=UTC)
    summary = _summary(
        key_points=(Bullet("Maya booked the hall.", 10, "https://d/10"),),
        decisions=(Bullet("Ship on Thursday.", 11, "https://d/11"),),
        action_items=(ActionItem(2, "Sam", "send the draft", due, "by Friday",
                                 "Sam will send the draft by Friday.", 12, "https://d/12"),),
        open_questions=(Bullet("Who brings the projector?", 13, "https://d/13"),),
        excluded_count=2,
    )
    german = render(summary, locale="de")
    (embed,) = german.messages[0]
    assert embed["title"] == "Zusammenfassung des Gesprächs"
    assert [f["name"] for f in embed["fields"]] == ["Kernpunkte", "Entscheidungen", "Aufgaben", "Offene Fragen"]
    assert embed["description"] == (
        "**Beteiligte:** Maya (3), Sam (1)\n4 Nachrichten zusammengefasst; "
        "2 Nachrichten auf Wunsch ihrer Verfasser weggelassen."
    )
    # A Discord timestamp: each reader's client writes the date in their own language.
    assert f"(fällig <t:{int(due.timestamp())}:f>)" in embed["fields"][2]["value"]
    assert "- Maya booked the hall. [↗](https://d/10)" in embed["fields"][0]["value"]
    assert "## Kernpunkte" in german.markdown and "(fällig Fr. 7 März 2025, 17:00 UTC)" in german.markdown
    portuguese = render(summary, locale="pt-BR")
    names = [f["name"] for f in portuguese.messages[0][0]["fields"]]
    assert names == ["Pontos principais", "Decisões", "Próximos passos", "Perguntas em aberto"]
    # English is unchanged, and an unsupported locale gets English.
    assert render(summary, locale="ja") == render(summary)


def test_a_long_summary_in_another_language_stays_within_limits_and_says_continued() -> None:
    points = tuple(Bullet(f"Point {i}: " + "word " * 60, i, f"https://d/{i}") for i in range(200))
    rendered = render(_summary(key_points=points), locale="fr")
    _assert_within_limits(rendered.messages)
    names = [f["name"] for group in rendered.messages for e in group for f in e["fields"]]
    assert names[0] == "Points clés" and "Points clés (suite)" in names[1:]
