"""The clarification request as posted, open and closed (it names only the author and the asker)."""

from __future__ import annotations

from bot.clarify.models import Clarification
from bot.markup import clean_user_text, shorten

#: A quoted question keeps at most this many lines; the rest joins the last one.
QUOTED_LINES = 10
MESSAGE_CHARS = 2000


def request_content(clarification: Clarification, *, in_thread_of_message: bool) -> str:
    """The request as posted: it names only the author and the asker."""
    about = "this message" if in_thread_of_message else f"[this message]({clarification.message_url()})"
    text = (
        f"<@{clarification.author_id}>, <@{clarification.asker_id}> would like a little more clarity on {about}."
    )
    footer = "\nA reply here, or the **Clarified** button once it's clear, closes this. Thank you!"
    if clarification.question:
        # Quoting adds two characters a line: many short lines would pass 2,000 characters, so fold the tail
        # into the last quoted line and keep the quote inside what the message has left.
        lines = [line for line in clean_user_text(clarification.question).splitlines() if line.strip()]
        if len(lines) > QUOTED_LINES:
            lines = [*lines[: QUOTED_LINES - 1], " ".join(lines[QUOTED_LINES - 1 :])]
        quoted = "\n".join(f"> {line}" for line in lines)
        text += "\n" + shorten(quoted, MESSAGE_CHARS - len(text) - len(footer) - 1)
    return text + footer


def closed_content(clarification: Clarification, *, in_thread_of_message: bool) -> str:
    base = request_content(clarification, in_thread_of_message=in_thread_of_message).rsplit("\n", 1)[0]
    how = "replied" if clarification.closed_by == "reply" else "marked it clarified"
    return f"{base}\n✅ Clarified: <@{clarification.author_id}> {how}. Thank you!"
