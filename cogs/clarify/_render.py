"""The clarification request as posted, open and closed (it names only the author and the asker)."""

from __future__ import annotations

from bot.clarify.models import Clarification
from bot.i18n import t
from bot.markup import clean_user_text, shorten

#: A quoted question keeps at most this many lines; the rest joins the last one.
QUOTED_LINES = 10
MESSAGE_CHARS = 2000


def request_content(clarification: Clarification, *, in_thread_of_message: bool, locale: str | None = None) -> str:
    """The request as posted (in the server's language): it names only the author and the asker."""
    values = {"author": f"<@{clarification.author_id}>", "asker": f"<@{clarification.asker_id}>"}
    if in_thread_of_message:
        text = t(locale, "{author}, {asker} would like a little more clarity on this message.", **values)
    else:
        text = t(
            locale,
            "{author}, {asker} would like a little more clarity on [this message]({url}).",
            url=clarification.message_url(),
            **values,
        )
    footer = "\n" + t(
        locale, "A reply here, or the **{button}** button once it's clear, closes this. Thank you!",
        button=clarified_label(locale),
    )
    if clarification.question:
        # Quoting adds two characters a line: many short lines would pass 2,000 characters, so fold the tail
        # into the last quoted line and keep the quote inside what the message has left.
        lines = [line for line in clean_user_text(clarification.question).splitlines() if line.strip()]
        if len(lines) > QUOTED_LINES:
            lines = [*lines[: QUOTED_LINES - 1], " ".join(lines[QUOTED_LINES - 1 :])]
        quoted = "\n".join(f"> {line}" for line in lines)
        text += "\n" + shorten(quoted, MESSAGE_CHARS - len(text) - len(footer) - 1)
    return text + footer


def clarified_label(locale: str | None = None) -> str:
    """The label of the button that closes a request (named in the request itself)."""
    return t(locale, "Clarified")


def closed_content(clarification: Clarification, *, in_thread_of_message: bool, locale: str | None = None) -> str:
    base = request_content(clarification, in_thread_of_message=in_thread_of_message, locale=locale).rsplit("\n", 1)[0]
    author = f"<@{clarification.author_id}>"
    if clarification.closed_by == "reply":
        closed = t(locale, "Clarified: {author} replied. Thank you!", author=author)
    else:
        closed = t(locale, "Clarified: {author} marked it clarified. Thank you!", author=author)
    line = f"\n✅ {closed}"
    return shorten(base, MESSAGE_CHARS - len(line)) + line
