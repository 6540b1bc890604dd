"""The labelled conversations in ``data/conversations.txt``: read them, summarise them, score the result.

    python -m tests.summary.labelled      # prints owner / due accuracy, open questions, duplicate rate
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.summary.models import ChatMessage, Summary
from bot.summary.offline import summarize

PATH = Path(__file__).parent / "data" / "conversations.txt"
BASE = datetime(2025, 3, 5, 14, 0, tzinfo=UTC)
_ITEM = re.compile(r"^(?P<owner>.+?)\s*@\s*(?:(?P<md>\d\d-\d\d \d\d:\d\d)|-)$")


@dataclass
class Expected:
    owner: str
    due: datetime | None


@dataclass
class Conversation:
    title: str
    messages: list[ChatMessage] = field(default_factory=list)
    items: dict[int, Expected] = field(default_factory=dict)  # by message id
    open_questions: set[int] = field(default_factory=set)
    restated: set[int] = field(default_factory=set)


def load(path: Path = PATH) -> list[Conversation]:
    out: list[Conversation] = []
    ids: dict[str, int] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            out.append(Conversation(line[3:]))
            ids = {}
            continue
        conv = out[-1]
        text, _, label = line.partition("||")
        speaker, _, content = text.partition(":")
        speaker = speaker.strip()
        author = ids.setdefault(speaker, len(ids) + 1)
        k = len(conv.messages)
        msg_id = 1000 * len(out) + k
        conv.messages.append(ChatMessage(
            id=msg_id, author_id=author, author_name=speaker, created_at=BASE + timedelta(minutes=k),
            content=content.strip(), jump_url=f"https://discord.com/channels/1/2/{msg_id}",
        ))
        label = label.strip()
        if label == "open":
            conv.open_questions.add(msg_id)
        elif label.startswith("same "):
            conv.restated.add(msg_id)
        elif label:
            m = _ITEM.match(label)
            assert m, f"bad label: {label!r}"
            due = None
            if m.group("md"):
                due = datetime.strptime(f"2025-{m.group('md')}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            conv.items[msg_id] = Expected(m.group("owner"), due)
    return out


@dataclass
class Scores:
    conversations: int = 0
    expected: int = 0
    found: int = 0
    owner_right: int = 0
    due_right: int = 0
    extra: int = 0  # items on messages with no expected item (restatements counted apart)
    restated: int = 0
    duplicated: int = 0
    open_expected: int = 0
    open_listed: int = 0
    open_right: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f}%" if b else "n/a"

        return (
            f"{self.conversations} conversations, {self.expected} expected action items\n"
            f"found {pct(self.found, self.expected)}  owner accuracy {pct(self.owner_right, self.expected)}  "
            f"due accuracy {pct(self.due_right, self.expected)}  extra items {self.extra}\n"
            f"open questions: precision {pct(self.open_right, self.open_listed)}  "
            f"recall {pct(self.open_right, self.open_expected)}  ({self.open_expected} expected)\n"
            f"duplicate rate {pct(self.duplicated, self.restated)} of {self.restated} restated commitments"
        )


def score(conversations: list[Conversation]) -> Scores:
    s = Scores(conversations=len(conversations))
    for conv in conversations:
        summary: Summary = summarize(conv.messages)
        by_msg: dict[int, list] = {}
        for item in summary.action_items:
            by_msg.setdefault(item.source_message_id, []).append(item)
        for msg_id, exp in conv.items.items():
            s.expected += 1
            got = by_msg.get(msg_id, [])
            if not got:
                s.misses.append(f"{conv.title}: missing {exp.owner} @ {exp.due}")
                continue
            s.found += 1
            item = got[0]
            if item.owner_name == exp.owner:
                s.owner_right += 1
            else:
                s.misses.append(f"{conv.title}: owner {item.owner_name!r} for {exp.owner!r} ({item.text})")
            if item.due == exp.due:
                s.due_right += 1
            else:
                s.misses.append(f"{conv.title}: due {item.due} for {exp.due} ({item.text})")
        for msg_id, items in by_msg.items():
            if msg_id in conv.restated:
                continue
            if msg_id not in conv.items:
                s.extra += len(items)
                s.misses.append(f"{conv.title}: extra {items[0].text}")
        s.restated += len(conv.restated)
        s.duplicated += sum(1 for m in conv.restated if m in by_msg)
        listed = {b.source_message_id for b in summary.open_questions}
        s.open_expected += len(conv.open_questions)
        s.open_listed += len(listed)
        s.open_right += len(listed & conv.open_questions)
        for m in conv.open_questions - listed:
            s.misses.append(f"{conv.title}: open question not listed ({m})")
        for m in listed - conv.open_questions:
            s.misses.append(f"{conv.title}: listed as open ({m})")
    return s


if __name__ == "__main__":
    result = score(load())
    sys.stdout.write(result.line() + "\n")
    if "-v" in sys.argv:
        sys.stdout.write("\n".join(result.misses) + "\n")
