"""The one access rule: may this member see this object? Pure decision logic, no Discord.

Every read path (lists, shows, histories, exports, autocompletes, previews) asks :func:`may_see`. The facts
about Discord (can the member view the channel and read its history now, are they in the private thread) are
gathered by :mod:`bot.adapter.visibility`; the decision is made here, so it can be tested without Discord.

The rule, in order:

1. An object of another server does not exist here.
2. An object private to its parties (a repair, a commitment made in one, a clarification request) is seen by
   its parties only. Nobody else, managers included, learns it exists.
3. An object's parties (owner, creator, participant) see it even without access to its channel: it is theirs.
4. Anyone else sees an object that lives in a channel only while they can view that channel *and* read its
   history; in a private thread, only while they are a member of the thread (not from the parent's
   permissions). A channel that is gone, or that cannot be checked, hides the object.
5. Being a manager gives no read access of its own: managers get what their own channel access gives them.

Anything the member may not see is answered "not found", never "forbidden", so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Place(StrEnum):
    """Where an object lives, as far as access is concerned."""

    NOWHERE = "nowhere"  # not tied to a channel (a DM, or a server-wide object)
    CHANNEL = "channel"  # a text channel, or a public thread (its parent's permissions apply)
    PRIVATE_THREAD = "private_thread"
    GONE = "gone"  # the channel no longer exists or cannot be checked


@dataclass(frozen=True, slots=True)
class Subject:
    """What the policy needs to know about an object."""

    guild_id: int
    channel_id: int | None
    #: Owner, creator, author or participants: the people the object is about.
    parties: frozenset[int] = field(default_factory=frozenset)
    #: Seen by its parties only (repairs, their commitments, clarification requests).
    private: bool = False


@dataclass(frozen=True, slots=True)
class ChannelAccess:
    """What a member can do in the object's channel, now."""

    place: Place
    view: bool = False
    read_history: bool = False
    in_thread: bool = False

    @property
    def readable(self) -> bool:
        if self.place is Place.GONE:
            return False
        if self.place is Place.NOWHERE:
            return True
        if not (self.view and self.read_history):
            return False
        return self.place is not Place.PRIVATE_THREAD or self.in_thread


NOWHERE = ChannelAccess(Place.NOWHERE)
GONE = ChannelAccess(Place.GONE)


def may_see(viewer_id: int, viewer_guild_id: int | None, subject: Subject, access: ChannelAccess) -> bool:
    """The whole rule (see the module's docstring). ``access`` describes ``subject.channel_id`` for the viewer."""
    if viewer_guild_id is None or viewer_guild_id != subject.guild_id:
        return False
    if viewer_id in subject.parties:
        return True
    if subject.private:
        return False
    if subject.channel_id is None:
        return True
    return access.readable
