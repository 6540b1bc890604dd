"""A conversation as the engine reads it: cleaned sentences, turns, speakers and who speaks to whom.

Messages are sorted, cleaned and split into sentences (:class:`Unit`); consecutive messages of one author
less than five minutes apart form a :class:`Turn`; ``Name: text`` lines of a pasted transcript name their
own speaker. The context helpers answer the questions every detector asks of the conversation: who is a
sentence addressed to, which turns follow it, who agreed with it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.summary.action_cues import detect_action
from bot.summary.address import split_address
from bot.summary.agreement import is_agreement
from bot.summary.models import Bullet, ChatMessage, Participant
from bot.summary.questions import is_question
from bot.summary.rewrite import rewrite_about_speaker
from bot.summary.text import clean, content_stems, is_chitchat, split_sentences, words

TURN_GAP = timedelta(minutes=5)  # same author, closer than this: one turn
ANSWER_WINDOW = timedelta(hours=24)  # an answer must come within this of the question
AGREE_TURNS = 3  # how many following turns may hold the agreement to a proposal

_SPEAKER_LINE = re.compile(r"^\s*(?P<name>[A-Za-z#][\w#.' -]{0,30}?)\s*:\s+(?P<text>\S.*)$")


@dataclass(slots=True)
class Turn:
    speaker_id: int | None
    speaker_name: str
    first_msg: int
    last_msg: int
    start: datetime
    text: str = ""
    units: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Unit:
    index: int
    msg: int  # index into the sorted messages
    turn: int
    speaker_id: int | None
    speaker_name: str
    text: str
    n_tokens: int
    chitchat: bool
    stems: list[str]
    question: bool


class Names:
    """Resolve the names people write ("Maya", "maya", "Maya Lopez") to participants."""

    def __init__(self, names: dict[int, str]) -> None:
        self.by_id = dict(names)
        index: dict[str, set[int]] = {}
        for author_id, name in names.items():
            low = name.strip().lower()
            keys = {low, low.split()[0]} if low else set()
            for key in keys:
                index.setdefault(key, set()).add(author_id)
        self._index = {k: next(iter(v)) for k, v in index.items() if len(v) == 1}
        self._firsts = sorted({k for k in self._index if " " not in k})

    def find(self, name: str | None) -> int | None:
        """The participant a written name refers to: exact, first name, or a unique short form ("Meg")."""
        if not name:
            return None
        low = name.strip().lower().lstrip("@")
        found = self._index.get(low)
        if found is None and " " in low:
            found = self._index.get(low.split()[0])
        if found is None and len(low) >= 3 and " " not in low:
            k = bisect.bisect_left(self._firsts, low)
            matches = {self._index[n] for n in self._firsts[k:k + 3] if n.startswith(low)}
            if len(matches) == 1:
                found = matches.pop()
        return found

    def name(self, author_id: int) -> str:
        return self.by_id.get(author_id, f"<@{author_id}>")



class Conversation:
    def __init__(self, messages: list[ChatMessage]) -> None:
        for m in messages:
            if m.created_at.tzinfo is None:
                raise ValueError(f"message {m.id} has a naive created_at; times must be timezone-aware")
        self.messages = sorted(messages, key=lambda m: (m.created_at, m.id))
        counts: dict[int, int] = {}
        names: dict[int, str] = {}
        for m in self.messages:
            counts[m.author_id] = counts.get(m.author_id, 0) + 1
            names[m.author_id] = m.author_name
        self.counts = counts
        self.names = Names(names)
        self.turns: list[Turn] = []
        self.units: list[Unit] = []
        self.msg_turn: list[int] = []
        self._segment()


    # --- structure ---------------------------------------------------------------------------------

    def _segments(self, m: ChatMessage) -> list[tuple[int | None, str, str]]:
        """(speaker id, speaker name, text) pieces of a message; 'Name: text' lines name their speaker."""
        if ":" not in m.content:
            return [(m.author_id, m.author_name, m.content)]
        lines = m.content.splitlines()
        hits = [_SPEAKER_LINE.match(line) for line in lines]
        named = [h for h in hits if h and self.names.find(h.group("name")) is not None]
        if not named and sum(1 for h in hits if h) < 2:
            return [(m.author_id, m.author_name, m.content)]
        out: list[tuple[int | None, str, str]] = []
        for line, hit in zip(lines, hits, strict=True):
            if hit:
                name = hit.group("name").strip()
                out.append((self.names.find(name), name, hit.group("text")))
            elif out:
                sid, sname, text = out[-1]
                out[-1] = (sid, sname, text + "\n" + line)
            else:
                out.append((m.author_id, m.author_name, line))
        return out

    def _segment(self) -> None:
        last_key: tuple[int | None, str] | None = None
        last_time: datetime | None = None
        for mi, m in enumerate(self.messages):
            segments = self._segments(m)
            for sid, sname, raw in segments:
                key = (sid, sname if sid is None else "")
                new_turn = (
                    key != last_key
                    or last_time is None
                    or m.created_at - last_time > TURN_GAP
                    or len(segments) > 1
                )
                if new_turn:
                    self.turns.append(Turn(sid, sname, mi, mi, m.created_at))
                turn_index = len(self.turns) - 1
                turn = self.turns[turn_index]
                turn.last_msg = mi
                text = clean(raw)
                turn.text = f"{turn.text} {text}".strip() if turn.text else text
                for sentence in split_sentences(text):
                    tokens = words(sentence)
                    unit = Unit(
                        index=len(self.units),
                        msg=mi,
                        turn=turn_index,
                        speaker_id=sid,
                        speaker_name=sname,
                        text=sentence,
                        n_tokens=len(tokens),
                        chitchat=is_chitchat(tokens),
                        stems=content_stems(tokens),
                        question=is_question(sentence),
                    )
                    self.units.append(unit)
                    turn.units.append(unit.index)
                last_key, last_time = key, m.created_at
            self.msg_turn.append(len(self.turns) - 1)

    # --- context -----------------------------------------------------------------------------------

    def addressee(self, unit: Unit, vocative: str | None) -> int | None:
        """Who a sentence speaks to: mention, reply target, vocative name, or the only other person."""
        m = self.messages[unit.msg]
        for uid in m.mentions:
            if uid != unit.speaker_id:
                return uid
        if m.reply_to_author_id is not None and m.reply_to_author_id != unit.speaker_id:
            return m.reply_to_author_id
        found = self.names.find(vocative)
        if found is not None and found != unit.speaker_id:
            return found
        if len(self.counts) == 2 and unit.speaker_id in self.counts:
            return next(a for a in self.counts if a != unit.speaker_id)
        return None

    def following_turns(self, turn_index: int, limit: int) -> list[Turn]:
        """The next turns by other speakers, within the answer window."""
        start = self.turns[turn_index]
        out: list[Turn] = []
        for k in range(turn_index + 1, len(self.turns)):
            t = self.turns[k]
            if t.start - start.start > ANSWER_WINDOW:
                break
            if t.speaker_id == start.speaker_id and t.speaker_name == start.speaker_name:
                continue
            out.append(t)
            if len(out) >= limit:
                break
        return out

    def is_filler(self, turn: Turn) -> bool:
        """A turn with nothing to answer or agree with: 'lol', 'haha', an emoji."""
        return all(self.units[u].chitchat for u in turn.units)

    def is_only_questions(self, turn: Turn) -> bool:
        return bool(turn.units) and all(self.units[u].question for u in turn.units)

    def agreeing_turns(self, turn_index: int) -> list[Turn]:
        """Agreement right after a turn: the run of agreeing replies, skipping filler, until someone moves on."""
        agreed: list[Turn] = []
        for t in self.following_turns(turn_index, AGREE_TURNS + 2):
            if is_agreement(t.text):
                agreed.append(t)
            elif not self.is_filler(t):
                break
        return agreed

    def display(self, speaker_id: int | None, fallback: str) -> str:
        return self.names.name(speaker_id) if speaker_id is not None else fallback


    # --- output ------------------------------------------------------------------------------------

    def about(self, unit: Unit, *, bare: bool = False) -> str:
        speaker = self.display(unit.speaker_id, unit.speaker_name)
        vocative, _ = split_address(unit.text)
        addressee_id = self.addressee(unit, vocative)
        addressee = self.names.name(addressee_id) if addressee_id is not None else None
        pair = None  # "we" in a two-person chat is the two of them (a question keeps the asker's words)
        if len(self.counts) == 2 and unit.speaker_id in self.counts and not unit.question:
            pair = " and ".join(self.names.name(a) for a in self.counts)
        text = rewrite_about_speaker(
            unit.text, speaker, addressee, detect_action(unit.text), pair, question=unit.question
        )
        if bare and text.startswith(f"{speaker}: "):
            text = text[len(speaker) + 2:]
        return text

    def bullet(self, text: str, unit: Unit) -> Bullet:
        msg = self.messages[unit.msg]
        return Bullet(text=text, source_message_id=msg.id, jump_url=msg.jump_url)

    def participants(self) -> tuple[Participant, ...]:
        people = [Participant(a, self.names.name(a), c) for a, c in self.counts.items()]
        people.sort(key=lambda p: (-p.message_count, p.name.lower(), p.author_id))
        return tuple(people)
