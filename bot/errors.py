"""The small family of errors that a member is meant to read.

Anything raised from a command that is a :class:`UserFacingError` becomes a short ephemeral reply;
anything else is logged with a traceback and answered with an apology carrying an error id.
"""

from __future__ import annotations

from bot.i18n import Localised, t, translated


class UserFacingError(Exception):
    """An expected failure whose message is safe and useful to show to the member.

    ``message`` is English. With ``values`` it is a catalog message id with ``{placeholders}``, shown in the
    member's language by :meth:`text`; without, it is a finished English sentence (shown translated when the
    catalogs have it). A value with a ``text(locale)`` method (:class:`~bot.i18n.Localised`: a ``Term``, the
    grammar's ``Examples("when")``) is filled in the reader's language: that is how a refused date shows
    examples the member can type in their own language. ``str(error)`` is the English.
    """

    title = "That didn't work"

    def __init__(self, message: str, /, **values: object) -> None:
        self.msgid = message
        self.values = values
        self.message = message.format(**values) if values else message
        super().__init__(self.message)

    def text(self, locale: str | None) -> str:
        """The message in the reader's language (English when the catalogs don't have it); a value that is
        :class:`~bot.i18n.Localised` (a term, examples of what to type) is shown in that language too."""
        if self.values:
            return t(locale, self.msgid, **self._shown(locale))
        return translated(locale, self.msgid, report=False)

    def _shown(self, locale: str | None) -> dict[str, object]:
        return {
            name: value.text(locale) if isinstance(value, Localised) else value for name, value in self.values.items()
        }


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
