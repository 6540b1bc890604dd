"""The offline summary engine: pure Python over :class:`ChatMessage` records, no network, no models.

Pipeline: clean each message and split it into sentences, and group consecutive messages of one speaker
into turns (``conversation.py``); run the sentence detectors and settle them with the conversation around
them: action items and decisions (``action_items.py``: who was addressed, who agreed), open questions
(``open_questions.py``: who answered); rank the remaining sentences for key points (``key_points.py``)
and rewrite everything as sentences about people (``rewrite.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.summary.action_items import actions_and_decisions
from bot.summary.conversation import Conversation
from bot.summary.key_points import key_points
from bot.summary.models import ChatMessage, Summary
from bot.summary.open_questions import open_questions

MAX_KEY_POINTS = 7


class OfflineEngine:
    """Summarise a conversation without any network access."""

    def __init__(self, *, max_key_points: int = MAX_KEY_POINTS) -> None:
        self.max_key_points = max_key_points

    def summarize(self, messages: Iterable[ChatMessage], *, excluded_count: int = 0) -> Summary:
        conv = Conversation(list(messages))
        if not conv.messages:
            return Summary(excluded_count=excluded_count)
        actions, decisions, used = actions_and_decisions(conv)
        questions = open_questions(conv)
        points = key_points(conv, used, self.max_key_points)
        return Summary(
            participants=conv.participants(),
            key_points=tuple(points),
            decisions=tuple(decisions),
            action_items=tuple(actions),
            open_questions=tuple(questions),
            excluded_count=excluded_count,
            message_count=len(conv.messages),
        )


def summarize(
    messages: Iterable[ChatMessage], *, excluded_count: int = 0, max_key_points: int = MAX_KEY_POINTS
) -> Summary:
    """Summarise ``messages`` (any order) into participants, key points, decisions, actions and questions."""
    return OfflineEngine(max_key_points=max_key_points).summarize(messages, excluded_count=excluded_count)
