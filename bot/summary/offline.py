"""The offline summary engine: pure Python over :class:`ChatMessage` records, no network, no models.

Pipeline: clean each message and split it into sentences; group consecutive messages of one speaker into
turns; run the sentence detectors (commitments, requests, proposals, decisions, questions) and settle
them with the conversation around them (who was addressed, who agreed, who answered); rank the remaining
sentences for key points and rewrite everything as sentences about people.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.summary.detect import (
    ActionCue,
    Kind,
    detect_action,
    is_agreement,
    is_decision,
    is_question,
    is_substantive_question,
    split_address,
)
from bot.summary.models import ActionItem, Bullet, ChatMessage, Participant, Summary
from bot.summary.rank import CANDIDATES, centroid, cosine, lexrank, mmr, rank_weights, tfidf_vectors
from bot.summary.rewrite import rewrite_about_speaker, to_third_person
from bot.summary.text import (
    clean,
    content_stems,
    finish_sentence,
    is_chitchat,
    split_sentences,
    words,
)
from bot.timeparse.deadlines import parse_due

MAX_KEY_POINTS = 7
TURN_GAP = timedelta(minutes=5)  # same author, closer than this: one turn
ANSWER_WINDOW = timedelta(hours=24)  # an answer must come within this of the question
AGREE_TURNS = 3  # how many following turns may hold the agreement to a proposal

# Key-point ranking: score = ((1 - GRAPH_WEIGHT) * centroid similarity + GRAPH_WEIGHT * graph centrality)
# times priors. Sentences shorter than LENGTH_FULL words or longer than LENGTH_MAX are discounted, early
# sentences get up to POSITION_WEIGHT more (chats tend to open with their subject), questions less.
GRAPH_WEIGHT = 0.5
LENGTH_FULL = 8.0
LENGTH_MAX = 40.0
POSITION_WEIGHT = 0.15
QUESTION_PRIOR = 1.0
MMR_LAMBDA = 0.5
# The learned key-point scorer was fitted on chats of up to about a hundred sentences; longer conversations
# (meetings of a thousand) keep the centrality scoring, which the learned one does worse than there.
LEARNED_MAX_UNITS = 100
KEEP_RATIO = 0.0  # with the learned scorer: a key point scoring under this share of the best one is left out

_OPEN_CALL = re.compile(r"\b(?:someone|somebody|anyone|anybody|volunteers?|who\s+can|who\s+wants\s+to)\b", re.I)
_SPEAKER_LINE = re.compile(r"^\s*(?P<name>[A-Za-z#][\w#.' -]{0,30}?)\s*:\s+(?P<text>\S.*)$")
_CHOICE_VERB = re.compile(r"^(?:go\s+(?:with|for|ahead)|use|pick|choose|take|stick\s+with|keep|switch|adopt)\b", re.I)


@dataclass(slots=True)
class _Turn:
    speaker_id: int | None
    speaker_name: str
    first_msg: int
    last_msg: int
    start: datetime
    text: str = ""
    units: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
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


class _Names:
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


class OfflineEngine:
    """Summarise a conversation without any network access."""

    def __init__(self, *, max_key_points: int = MAX_KEY_POINTS) -> None:
        self.max_key_points = max_key_points

    def summarize(self, messages: Iterable[ChatMessage], *, excluded_count: int = 0) -> Summary:
        return _Run(list(messages), self.max_key_points).build(excluded_count)


def summarize(
    messages: Iterable[ChatMessage], *, excluded_count: int = 0, max_key_points: int = MAX_KEY_POINTS
) -> Summary:
    """Summarise ``messages`` (any order) into participants, key points, decisions, actions and questions."""
    return OfflineEngine(max_key_points=max_key_points).summarize(messages, excluded_count=excluded_count)


class _Run:
    def __init__(self, messages: list[ChatMessage], max_key_points: int) -> None:
        for m in messages:
            if m.created_at.tzinfo is None:
                raise ValueError(f"message {m.id} has a naive created_at; times must be timezone-aware")
        self.messages = sorted(messages, key=lambda m: (m.created_at, m.id))
        self.max_key_points = max_key_points
        counts: dict[int, int] = {}
        names: dict[int, str] = {}
        for m in self.messages:
            counts[m.author_id] = counts.get(m.author_id, 0) + 1
            names[m.author_id] = m.author_name
        self.counts = counts
        self.names = _Names(names)
        self.turns: list[_Turn] = []
        self.units: list[_Unit] = []
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
                    self.turns.append(_Turn(sid, sname, mi, mi, m.created_at))
                turn_index = len(self.turns) - 1
                turn = self.turns[turn_index]
                turn.last_msg = mi
                text = clean(raw)
                turn.text = f"{turn.text} {text}".strip() if turn.text else text
                for sentence in split_sentences(text):
                    tokens = words(sentence)
                    unit = _Unit(
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

    def _addressee(self, unit: _Unit, vocative: str | None) -> int | None:
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

    def _following_turns(self, turn_index: int, limit: int) -> list[_Turn]:
        """The next turns by other speakers, within the answer window."""
        start = self.turns[turn_index]
        out: list[_Turn] = []
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

    def _is_filler(self, turn: _Turn) -> bool:
        """A turn with nothing to answer or agree with: 'lol', 'haha', an emoji."""
        return all(self.units[u].chitchat for u in turn.units)

    def _is_only_questions(self, turn: _Turn) -> bool:
        return bool(turn.units) and all(self.units[u].question for u in turn.units)

    def _agreeing_turns(self, turn_index: int) -> list[_Turn]:
        """Agreement right after a turn: the run of agreeing replies, skipping filler, until someone moves on."""
        agreed: list[_Turn] = []
        for t in self._following_turns(turn_index, AGREE_TURNS + 2):
            if is_agreement(t.text):
                agreed.append(t)
            elif not self._is_filler(t):
                break
        return agreed

    def _display(self, speaker_id: int | None, fallback: str) -> str:
        return self.names.name(speaker_id) if speaker_id is not None else fallback

    # --- detectors ---------------------------------------------------------------------------------

    def _actions_and_decisions(self) -> tuple[list[ActionItem], list[Bullet], set[int]]:
        items: list[ActionItem] = []
        decisions: list[Bullet] = []
        used: set[int] = set()
        seen: set[tuple[int | None, str]] = set()
        tasks: dict[str, list[tuple[ActionItem, set[str]]]] = {}
        for unit in self.units:
            if unit.n_tokens < 2:
                continue
            msg = self.messages[unit.msg]
            cue = detect_action(unit.text)
            decided = is_decision(unit.text)
            if decided and (cue is None or cue.kind is not Kind.PROPOSAL):
                decisions.append(self._bullet(self._about(unit), unit))
                used.add(unit.index)
                continue
            if cue is None or cue.kind is Kind.ASK:
                continue
            item = self._action_item(unit, cue, msg)
            if item is None:
                if decided:  # "let's go with X" that nobody answered is still the speaker's call
                    decisions.append(self._bullet(self._about(unit), unit))
                    used.add(unit.index)
                continue
            if isinstance(item, Bullet):
                decisions.append(item)
                used.add(unit.index)
                continue
            key = (item.owner_id, item.what.lower())
            if key in seen:
                continue
            seen.add(key)
            task = _task_stems(item)
            recent = tasks.setdefault(item.owner_name, [])
            if any(_same_task(item, task, e, e_task) for e, e_task in recent[-DUPLICATE_WINDOW:]):
                used.add(unit.index)  # the same commitment said again: one action item, the first
                continue
            recent.append((item, task))
            items.append(item)
            used.add(unit.index)
        return items, decisions, used

    def _action_item(self, unit: _Unit, cue: ActionCue, msg: ChatMessage) -> ActionItem | Bullet | None:
        speaker = self._display(unit.speaker_id, unit.speaker_name)
        addressee_id = self._addressee(unit, cue.vocative)
        addressee = self.names.name(addressee_id) if addressee_id is not None else cue.vocative
        what = cue.what
        if cue.kind is Kind.COMMITMENT:
            owner_id, owner = unit.speaker_id, speaker
            what, _ = to_third_person(what, speaker, addressee)
        elif cue.kind is Kind.REQUEST:
            replies = self._following_turns(unit.turn, 2)
            if addressee_id is None and addressee is None:
                accepting = next((t for t in replies if is_agreement(t.text)), None)
                if accepting is not None and accepting.speaker_id is not None:
                    addressee_id = accepting.speaker_id
                    addressee = self.names.name(accepting.speaker_id)
            if addressee_id is not None:
                answer = next((t for t in replies if t.speaker_id == addressee_id), None)
                if answer is not None and _refuses(answer.text):
                    return None
            if addressee is None and not _OPEN_CALL.search(unit.text):
                return None  # an instruction to nobody in particular is not anyone's task
            owner_id, owner = addressee_id, addressee or "Someone"
            what = _request_what(what, speaker, owner)
        elif cue.kind is Kind.PROPOSAL:
            agreed = self._agreeing_turns(unit.turn)
            if not agreed:
                return None
            people: list[str] = [speaker]
            for t in agreed:
                name = self._display(t.speaker_id, t.speaker_name)
                if name not in people:
                    people.append(name)
            owner_id, owner = None, _join_names(people)
            what, _ = to_third_person(what, speaker, None)
            what = re.sub(r"\b(?:we|us|our)\b", lambda m: {"we": "they", "us": "them", "our": "their"}[m.group(0)],
                          what)
            if _CHOICE_VERB.match(what):
                return self._bullet(finish_sentence(f"{owner} agreed to {what}"), unit)
            if not _starts_with_verb(what):
                return self._bullet(finish_sentence(f"{owner} agreed: {self._about(unit, bare=True)}"), unit)
        else:
            return None
        what = what.strip()
        if not what or len(content_stems(words(what))) < 1 or len(what.split()) < 2:
            return None  # "I'll see", "can you do it?": no task worth listing on its own
        due = parse_due(unit.text, msg.created_at, msg.tz)
        text = finish_sentence(f"{owner} will {what}")
        return ActionItem(
            owner_id=owner_id,
            owner_name=owner,
            what=what,
            due=due.when if due else None,
            due_text=due.text if due else None,
            text=text,
            source_message_id=msg.id,
            jump_url=msg.jump_url,
        )

    def _open_questions(self) -> list[Bullet]:
        """Questions that nobody else took up afterwards."""
        # Messages that address an author: a reply to them or a mention of them, by index.
        addressed: dict[int, list[int]] = {}
        spoke: dict[int, list[int]] = {}
        for i, m in enumerate(self.messages):
            spoke.setdefault(m.author_id, []).append(i)
            targets = set(m.mentions)
            if m.reply_to_author_id is not None:
                targets.add(m.reply_to_author_id)
            for target in targets:
                if target != m.author_id:
                    addressed.setdefault(target, []).append(i)
        out: list[Bullet] = []
        for unit in self.units:
            if not unit.question or not is_substantive_question(unit.text, len(unit.stems)):
                continue
            if self._answered(unit, addressed, spoke):
                continue
            out.append(self._bullet(self._about(unit), unit))
        return out

    def _answered(self, unit: _Unit, addressed: dict[int, list[int]], spoke: dict[int, list[int]]) -> bool:
        asker = unit.speaker_id
        turn = self.turns[unit.turn]
        asked_at = self.messages[unit.msg].created_at
        last = turn.last_msg

        def within(i: int) -> bool:
            return self.messages[i].created_at - asked_at <= ANSWER_WINDOW

        vocative, _ = split_address(unit.text)
        m = self.messages[unit.msg]
        target = next((u for u in m.mentions if u != asker), None)
        if target is None:
            target = self.names.find(vocative)
        if target is not None and target != asker:
            later = spoke.get(target, [])
            k = bisect.bisect_right(later, unit.msg)
            return k < len(later) and within(later[k])
        addressed_elsewhere = vocative is not None  # "Tom, ...?" to someone who is not in this chat
        if asker is not None:
            later = addressed.get(asker, [])
            k = bisect.bisect_right(later, unit.msg)
            if k < len(later) and within(later[k]):
                return True
        if addressed_elsewhere:
            return False
        # Otherwise: the next turn by someone else, if it does not turn to a third person.
        for t in self._following_turns(unit.turn, 3):
            first = self.messages[t.first_msg]
            if t.first_msg <= last:
                continue
            if is_agreement(t.text) and within(t.first_msg):
                return True  # "sure", "yes": the question was a request or a yes/no question, answered
            if self._is_filler(t) or self._is_only_questions(t):
                continue  # "lol" or a new question is not an answer; look at the next turn
            if first.reply_to_author_id not in (None, asker):
                return False
            if first.mentions and asker not in first.mentions:
                return False
            if not within(t.first_msg) or t.start - self.messages[last].created_at > timedelta(hours=2):
                return False
            if first.reply_to_author_id == asker or self._answers(unit, t):
                return True
            # an unrelated remark ("lol the coffee machine is broken again") is no answer: look further
        return False

    def _answers(self, question: _Unit, turn: _Turn) -> bool:
        """Does the turn take the question up: its topic (shared content words) or an answer's shape
        (yes or no, a number, a date, a name)?"""
        asked = set(question.stems)
        for k in turn.units:
            u = self.units[k]
            if asked & set(u.stems):
                return True
        text = turn.text.strip()
        if _ANSWER_START.match(text) or _ANSWER_SHAPE.search(text):
            return True
        names = [w for w in _CAPITALISED.findall(text) if w.lower() not in _NOT_ANSWER_NAMES]
        if _WHO.match(split_address(question.text)[1]):
            return bool(names) or bool(_FIRST_PERSON.match(text))  # "who ...?" - "Priya has one", "I do"
        return any(self.names.find(w) is not None for w in names)

    # --- key points --------------------------------------------------------------------------------

    def _key_point_candidates(
        self, cue_units: set[int]
    ) -> tuple[list[_Unit], list[int], list[dict[str, float]], dict[int, float], dict[int, list[float]]]:
        """The pool of sentences, the best candidates, their vectors, default scores and ranking features."""
        pool = [
            u for u in self.units
            if len(u.stems) >= 2 and not u.chitchat and u.n_tokens >= 3
        ]
        if not pool:
            pool = [u for u in self.units if u.stems]
        if not pool:
            return [], [], [], {}, {}
        vectors = tfidf_vectors([u.stems for u in pool])
        center = centroid(vectors)
        n = len(pool)
        prior: list[float] = []
        for i, u in enumerate(pool):
            length = u.n_tokens
            length_prior = min(1.0, length / LENGTH_FULL) * (1.0 if length <= LENGTH_MAX else LENGTH_MAX / length)
            position_prior = 1.0 + POSITION_WEIGHT * (1.0 - i / n)
            question_prior = QUESTION_PRIOR if u.question else 1.0
            prior.append(length_prior * position_prior * question_prior)
        central = [cosine(v, center) for v in vectors]
        first_pass = [c * p for c, p in zip(central, prior, strict=True)]
        order = sorted(range(n), key=lambda i: -first_pass[i])[:CANDIDATES]
        graph = lexrank([vectors[i] for i in order])
        scores: dict[int, float] = {}
        top_first = max(first_pass[i] for i in order) or 1.0
        for rank_pos, i in enumerate(order):
            boost = 1.1 if pool[i].index in cue_units else 1.0
            central_part = (1.0 - GRAPH_WEIGHT) * first_pass[i] / top_first
            scores[i] = (central_part + GRAPH_WEIGHT * graph[rank_pos] * prior[i]) * boost
        top_score = max(scores.values()) or 1.0
        per_speaker: dict[int | None, int] = {}
        for u in pool:
            per_speaker[u.speaker_id] = per_speaker.get(u.speaker_id, 0) + 1
        feats: dict[int, list[float]] = {}
        names = {name for name in (self.names.name(a) for a in self.counts) if name}
        for rank_pos, i in enumerate(order):
            u = pool[i]
            others = names - {u.speaker_name}
            prev = self.units[u.index - 1] if u.index > 0 else None
            answers = prev is not None and prev.question and prev.speaker_id != u.speaker_id
            asked = self.units[0].question and self.units[0].speaker_id != u.speaker_id and u.turn == 1
            feats[i] = [
                1.0,
                scores[i] / top_score,
                first_pass[i] / top_first,
                graph[rank_pos],
                i / n,
                1.0 if u.turn == 0 else 0.0,
                1.0 if i == n - 1 else 0.0,
                1.0 if u.question else 0.0,
                1.0 if u.index in cue_units else 0.0,
                min(1.0, math.log1p(u.n_tokens) / math.log(41.0)),
                per_speaker[u.speaker_id] / n,
                1.0 if answers else 0.0,
                1.0 if asked else 0.0,
                len(u.stems) / max(1, u.n_tokens),
                1.0 if any(ch.isdigit() for ch in u.text) else 0.0,
                1.0 if u.turn + 1 >= len(self.turns) else 0.0,
                1.0 if self.turns[u.turn].units[0] == u.index else 0.0,
                cosine(vectors[i], vectors[0]) if i else 1.0,
                1.0 if any(w in others for w in u.text.split()) else 0.0,
                min(1.0, math.log1p(len(self.turns[u.turn].units)) / math.log(11.0)),
            ]
        return pool, order, vectors, scores, feats

    def _key_points(self, cue_units: set[int]) -> list[Bullet]:
        pool, order, vectors, scores, feats = self._key_point_candidates(cue_units)
        if not pool:
            return []
        weights = rank_weights() if len(self.units) <= LEARNED_MAX_UNITS else None
        if weights is not None:
            learned = {i: sum(w * x for w, x in zip(weights, feats[i], strict=True)) for i in order}
            low = min(learned.values())
            top = (max(learned.values()) - low) or 1.0
            scores = {i: (v - low) / top for i, v in learned.items()}
        chosen = mmr(order, scores, vectors, self.max_key_points, lam=MMR_LAMBDA)
        if weights is not None and chosen:
            best = max(scores[i] for i in chosen)
            chosen = [i for i in chosen if scores[i] >= KEEP_RATIO * best]
        return [self._bullet(self._about(pool[i]), pool[i]) for i in sorted(chosen)]

    # --- output ------------------------------------------------------------------------------------

    def _about(self, unit: _Unit, *, bare: bool = False) -> str:
        speaker = self._display(unit.speaker_id, unit.speaker_name)
        vocative, _ = split_address(unit.text)
        addressee_id = self._addressee(unit, vocative)
        addressee = self.names.name(addressee_id) if addressee_id is not None else None
        text = rewrite_about_speaker(unit.text, speaker, addressee, detect_action(unit.text))
        if bare and text.startswith(f"{speaker}: "):
            text = text[len(speaker) + 2:]
        return text

    def _bullet(self, text: str, unit: _Unit) -> Bullet:
        msg = self.messages[unit.msg]
        return Bullet(text=text, source_message_id=msg.id, jump_url=msg.jump_url)

    def _participants(self) -> tuple[Participant, ...]:
        people = [Participant(a, self.names.name(a), c) for a, c in self.counts.items()]
        people.sort(key=lambda p: (-p.message_count, p.name.lower(), p.author_id))
        return tuple(people)

    def build(self, excluded_count: int) -> Summary:
        if not self.messages:
            return Summary(excluded_count=excluded_count)
        actions, decisions, used = self._actions_and_decisions()
        questions = self._open_questions()
        key_points = self._key_points(used)
        return Summary(
            participants=self._participants(),
            key_points=tuple(key_points),
            decisions=tuple(decisions),
            action_items=tuple(actions),
            open_questions=tuple(questions),
            excluded_count=excluded_count,
            message_count=len(self.messages),
        )


_ANSWER_START = re.compile(
    r"^(?:yes|yeah|yep|yup|ya|no|nope|nah|not\s+yet|sure|of\s+course|definitely|probably|maybe|i\s+think|"
    r"i\s+guess|i\s+believe|i\s+don'?t\s+know|dunno|no\s+idea|not\s+sure|it'?s|it\s+is|they|we|he|she|"
    r"about|around|only|just|because|since|at|in|on|by|from|yesterday|today|tomorrow|last|next)\b",
    re.I,
)
_ANSWER_SHAPE = re.compile(
    r"\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|yesterday|"
    r"morning|afternoon|evening|noon|january|february|march|april|june|july|august|september|october|"
    r"november|december)\b",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_WHO = re.compile(r"^(?:who|whom|whose)\b", re.I)
_FIRST_PERSON = re.compile(r"^(?:i|me|i'll|i'm|i've|we|us|we'll)\b", re.I)
_NOT_ANSWER_NAMES = frozenset(["i", "lol", "haha", "hahaha", "the", "my", "ok", "okay", "oh", "omg", "this", "that",
                               "it", "what", "so", "well", "btw", "also", "and", "but", "anyway"])
_DUE_WORDS = re.compile(
    r"\b(?:(?:by|on|before|until|at|this|next|the|end|of|today|tonight|tomorrow|morning|afternoon|evening|noon|"
    r"week|weekend|month|eod|asap|soon|later|promise|promised|said|as|again|no|worries|don't|worry|"
    r"get|got|getting|do|done|doing|finish|finished|have|having|make|sure|it|that|this)\b|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b)",
    re.I,
)
DUPLICATE_OVERLAP = 0.6  # share of the smaller task's content words the two must have in common
DUPLICATE_WINDOW = 8  # an owner's latest items a new one is compared with
_DIGITS = re.compile(r"\d+")


def _task_stems(item: ActionItem) -> set[str]:
    what = item.what
    if item.due_text:
        what = what.replace(item.due_text, " ")
    return set(content_stems(words(_DUE_WORDS.sub(" ", what))))


def _same_task(item: ActionItem, task: set[str], earlier: ActionItem, earlier_task: set[str]) -> bool:
    """The same owner promising the same thing again ("I'll draft it by Friday" ... "I'll draft it, promise")."""
    if item.owner_name != earlier.owner_name or not task or not earlier_task:
        return False
    if _DIGITS.findall(item.what) != _DIGITS.findall(earlier.what):
        return False  # "deck #3" and "deck #4" are two tasks
    return len(task & earlier_task) / min(len(task), len(earlier_task)) >= DUPLICATE_OVERLAP


def _refuses(text: str) -> bool:
    low = text.strip().lower()
    if low.startswith(("no problem", "no worries")):
        return False
    return low.startswith(("no", "nope", "nah", "i can't", "i cant", "can't", "sorry, i can't", "sorry i can't",
                           "i won't", "not me", "i don't think so"))


def _request_what(what: str, speaker: str, owner: str) -> str:
    """The requested verb phrase from the owner's side: 'send me your notes' -> 'send Sam their notes'."""
    def repl(m: re.Match[str]) -> str:
        word = m.group(0).lower()
        return {"me": speaker, "my": f"{speaker}'s", "mine": f"{speaker}'s", "us": "the group",
                "your": "their", "yours": "theirs", "yourself": "themselves", "you": owner}.get(word, m.group(0))

    return re.sub(r"\b(?:me|my|mine|us|your|yours|yourself|you)\b", repl, what, flags=re.I)


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return names[0] if names else "Someone"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _starts_with_verb(what: str) -> bool:
    first = what.split(None, 1)[0].lower() if what.split() else ""
    return first.isalpha() and first not in ("the", "a", "an", "this", "that", "it", "there", "what", "how")


