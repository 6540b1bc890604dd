"""Action items and decisions: the detectors propose, the conversation settles owner and agreement.

A commitment belongs to its speaker; a request to whoever it is addressed to (mention, reply, vocative, the
other person of a two-person chat, or whoever accepts it or takes it on: "Can someone update the changelog?" -
"I can do it tomorrow morning" is one item, the volunteer's, due tomorrow morning); a proposal to its proposer
and everyone who agrees right after it, and an agreed choice ("let's go with ...") is a decision. A commitment
restated by the same owner is kept once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summary.action_cues import ActionCue, Kind, detect_action
from bot.summary.agreement import is_agreement
from bot.summary.conversation import Conversation, Unit
from bot.summary.decisions import is_decision
from bot.summary.models import ActionItem, Bullet, ChatMessage
from bot.summary.restatements import DUPLICATE_WINDOW, owners, same_task, task_stems
from bot.summary.rewrite import to_third_person
from bot.summary.text import content_stems, finish_sentence, words
from bot.timeparse.deadlines import parse_due

_OPEN_CALL = re.compile(r"\b(?:someone|somebody|anyone|anybody|volunteers?|who\s+can|who\s+wants\s+to)\b", re.I)
# A commitment that only points back at a request: "I can do it tomorrow", "I'll take that".
_TAKES_IT = re.compile(
    r"^(?:do|take|handle|grab|cover|own|sort|get|finish|tackle|pick\s+up)\s+(?:it|that|this|them|this\s+one|"
    r"that\s+one)\b",
    re.I,
)
_CHOICE_VERB = re.compile(r"^(?:go\s+(?:with|for|ahead)|use|pick|choose|take|stick\s+with|keep|switch|adopt)\b", re.I)


def actions_and_decisions(conv: Conversation) -> tuple[list[ActionItem], list[Bullet], set[int]]:
    items: list[ActionItem] = []
    decisions: list[Bullet] = []
    used: set[int] = set()
    seen: set[tuple[int | None, str]] = set()
    tasks: dict[str, list[tuple[ActionItem, set[str]]]] = {}
    absorbed: set[int] = set()  # "I can do it" units already part of the request they answer
    cues = [detect_action(u.text) for u in conv.units]  # by unit index; a request looks at its replies' too
    for unit in conv.units:
        if unit.n_tokens < 2:
            continue
        if unit.index in absorbed:
            used.add(unit.index)
            continue
        msg = conv.messages[unit.msg]
        cue = cues[unit.index]
        decided = is_decision(unit.text)
        if decided and (cue is None or cue.kind is not Kind.PROPOSAL):
            decisions.append(conv.bullet(conv.about(unit), unit))
            used.add(unit.index)
            continue
        if cue is None or cue.kind is Kind.ASK:
            continue
        item = _action_item(conv, unit, cue, msg, cues, absorbed)
        if item is None:
            if decided:  # "let's go with X" that nobody answered is still the speaker's call
                decisions.append(conv.bullet(conv.about(unit), unit))
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
        task = task_stems(item)
        recent = tasks.setdefault(item.owner_name, [])
        if any(same_task(item, task, e, e_task) for e, e_task in recent[-DUPLICATE_WINDOW:]):
            used.add(unit.index)  # the same commitment said again: one action item, the first
            continue
        for owner in {item.owner_name, *owners(item)}:  # "Sam and Maya will book it": Maya's too
            tasks.setdefault(owner, []).append((item, task))
        items.append(item)
        used.add(unit.index)
    return items, decisions, used


def _takes_it_on(conv: Conversation, turn_units: Sequence[int], cues: Sequence[ActionCue | None]) -> Unit | None:
    """The unit of a turn that takes a request on by pointing back at it ("I can do it tomorrow morning")."""
    for k in turn_units:
        cue = cues[k]
        if cue is not None and cue.kind is Kind.COMMITMENT and _TAKES_IT.match(cue.what.strip()):
            return conv.units[k]
    return None


def _action_item(
    conv: Conversation,
    unit: Unit,
    cue: ActionCue,
    msg: ChatMessage,
    cues: Sequence[ActionCue | None],
    absorbed: set[int],
) -> ActionItem | Bullet | None:
    speaker = conv.display(unit.speaker_id, unit.speaker_name)
    taken_by: Unit | None = None
    addressee_id = conv.addressee(unit, cue.vocative)
    addressee = conv.names.name(addressee_id) if addressee_id is not None else cue.vocative
    what = cue.what
    if cue.kind is Kind.COMMITMENT:
        owner_id, owner = unit.speaker_id, speaker
        what, _ = to_third_person(what, speaker, addressee)
    elif cue.kind is Kind.REQUEST:
        replies = conv.following_turns(unit.turn, 2)
        if addressee_id is None and addressee is None:
            for t in replies:
                taken_by = _takes_it_on(conv, t.units, cues)
                if (taken_by is not None or is_agreement(t.text)) and t.speaker_id is not None:
                    addressee_id = t.speaker_id
                    addressee = conv.names.name(t.speaker_id)
                    break
        elif replies and replies[0].speaker_id not in (None, addressee_id):
            # "Ben, can you ...?" - "Chloe: I'll do it tomorrow" before Ben answers: Chloe took it on.
            volunteer = _takes_it_on(conv, replies[0].units, cues)
            if volunteer is not None:
                addressee_id, taken_by = replies[0].speaker_id, volunteer
                addressee = conv.names.name(addressee_id)
        if addressee_id is not None:
            answer = next((t for t in replies if t.speaker_id == addressee_id), None)
            if answer is not None and _refuses(answer.text):
                return None
            if answer is not None and taken_by is None:
                taken_by = _takes_it_on(conv, answer.units, cues)
        if addressee is None and not _OPEN_CALL.search(unit.text):
            return None  # an instruction to nobody in particular is not anyone's task
        owner_id, owner = addressee_id, addressee or "Someone"
        what = _request_what(what, speaker, owner)
    elif cue.kind is Kind.PROPOSAL:
        agreed = conv.agreeing_turns(unit.turn)
        if not agreed:
            return None
        people: list[str] = [speaker]
        for t in agreed:
            name = conv.display(t.speaker_id, t.speaker_name)
            if name not in people:
                people.append(name)
        owner_id, owner = None, _join_names(people)
        what, _ = to_third_person(what, speaker, None)
        what = re.sub(r"\b(?:we|us|our)\b", lambda m: {"we": "they", "us": "them", "our": "their"}[m.group(0)],
                      what)
        if _CHOICE_VERB.match(what):
            return conv.bullet(finish_sentence(f"{owner} agreed to {what}"), unit)
        if not _starts_with_verb(what):
            return conv.bullet(finish_sentence(f"{owner} agreed: {conv.about(unit, bare=True)}"), unit)
    else:
        return None
    what = what.strip()
    if not what or len(content_stems(words(what))) < 1 or len(what.split()) < 2:
        return None  # "I'll see", "can you do it?": no task worth listing on its own
    due = parse_due(unit.text, msg.created_at, msg.tz)
    if taken_by is not None:
        absorbed.add(taken_by.index)
        if due is None:  # "I can do it tomorrow morning": the one who took it on said when
            taken = conv.messages[taken_by.msg]
            due = parse_due(taken_by.text, taken.created_at, taken.tz)
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
