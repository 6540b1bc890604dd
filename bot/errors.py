"""The small family of errors that a member is meant to read.

Anything raised from a command that is a :class:`UserFacingError` becomes a short ephemeral reply;
anything else is logged with a traceback and answered with an apology carrying an error id.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected failure whose message is safe and useful to show to the member."""

    title = "That didn't work"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ObjectNotFound(UserFacingError):
    """The thing asked for does not exist here, or the member may not see it (it belongs to another server, or
    to a channel or repair they are not in): both read the same. Not :class:`discord.NotFound`, Discord's 404."""

    title = "Not found"


class NotAllowed(UserFacingError):
    """The member may not do this."""

    title = "Not allowed"


class BadInput(UserFacingError):
    """An option value could not be understood or is out of range."""

    title = "Let's try that again"


def shown_input(text: str, limit: int = 40) -> str:
    """A short, harmless echo of a member's input for an error message, meant to sit inside backticks:
    one line, no backticks or control characters, mentions made inert, at most ``limit`` characters."""
    flat = " ".join(text.split())
    flat = "".join(ch for ch in flat if ch.isprintable() and ch != "`")
    if len(flat) > limit:
        flat = flat[:limit].rstrip() + "…"
    if not flat:
        return "(empty)"
    return flat.replace("@", "@\u200b")
