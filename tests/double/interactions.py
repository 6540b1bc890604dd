"""``InteractionRecord``: one interaction the double delivered, and everything the bot did with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Channel, Guild, Message, RegisteredCommand, User

if TYPE_CHECKING:
    from .core import DoubleCore

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 1, 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

RESPONSE_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
}


class InteractionRecord:
    """What the double sent (``payload``) and how the bot answered.

    ``message`` is the message created by a type 4/5 response (for 5 the loading message, later
    edited through ``@original``) or the component message updated by type 7 / deferred by type 6.
    Message objects are live: edits show up on the same object.
    """

    def __init__(
        self,
        core: DoubleCore,
        *,
        id: int,
        token: str,
        type: int,
        user: User,
        channel: Channel,
        guild: Guild | None,
        payload: dict[str, Any],
        label: str,
        command: RegisteredCommand | None = None,
        source_message: Message | None = None,
        parent: InteractionRecord | None = None,
        focused_type: int | None = None,
    ) -> None:
        self._core = core
        self.id = id
        self.token = token
        self.type = type
        self.user = user
        self.channel = channel
        self.guild = guild
        self.payload = payload
        self.label = label
        self.command = command
        self.source_message = source_message
        self.parent = parent
        self.focused_type = focused_type
        self.created_at = core.clock.monotonic()
        self.response_type: int | None = None
        self.responded_at: float | None = None
        self.ephemeral = False
        self.message: Message | None = None
        self.modal: dict[str, Any] | None = None
        self.modal_submitted = False
        self.choices: list[dict[str, Any]] | None = None
        self.followups: list[Message] = []
        self.errors: list[dict[str, Any]] = []
        self.loading_replaced_by_followup = False

    # convenience ---------------------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        return self.payload.get("data", {})

    @property
    def content(self) -> str | None:
        return None if self.message is None else self.message.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.components

    def __repr__(self) -> str:
        answered = RESPONSE_NAMES.get(self.response_type or 0, "no response yet")
        return f"<InteractionRecord {self.label} id={self.id} {answered}>"

    # waiting -------------------------------------------------------------------------------
    async def wait_response(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
    ) -> InteractionRecord:
        """Waits for the initial callback (the acknowledgement); returns this record."""

        def describe() -> str:
            msg = f"{self.label}: the bot did not acknowledge the interaction within {timeout}s"
            if self.errors:
                msg += f"; the double rejected its callback(s) with {self.errors}"
            return msg

        await self._core.notifier.wait_for(lambda: self.response_type is not None, timeout, describe)
        return self

    async def wait_followup(
        self,
        n: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
    ) -> Message:
        """Waits until the bot has sent ``n`` followups; returns the n-th (1-based)."""

        def describe() -> str:
            return (
                f"{self.label}: {len(self.followups)} followup(s) after {timeout}s, wanted {n}; errors: {self.errors}"
            )

        await self._core.notifier.wait_for(lambda: len(self.followups) >= n, timeout, describe)
        return self.followups[n - 1]

    async def wait_edit(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
        *,
        edits: int = 1,
    ) -> Message:
        """Waits until the response message has been edited ``edits`` times (e.g. after a defer)."""

        def check() -> Message | None:
            msg = self.message
            return msg if msg is not None and msg.edits >= edits else None

        return await self._core.notifier.wait_for(
            check, timeout, lambda: f"{self.label}: response not edited within {timeout}s"
        )
