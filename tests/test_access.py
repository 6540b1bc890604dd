"""The access rule on its own: every branch of :func:`bot.access.may_see`."""

from __future__ import annotations

import pytest

from bot.access import GONE, NOWHERE, ChannelAccess, Place, Subject, may_see

GUILD, OTHER = 1, 2
ME, THEM = 10, 20
READABLE = ChannelAccess(Place.CHANNEL, view=True, read_history=True)


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        (READABLE, True),
        (ChannelAccess(Place.CHANNEL, view=True, read_history=False), False),
        (ChannelAccess(Place.CHANNEL, view=False, read_history=True), False),
        (ChannelAccess(Place.PRIVATE_THREAD, view=True, read_history=True, in_thread=False), False),
        (ChannelAccess(Place.PRIVATE_THREAD, view=True, read_history=True, in_thread=True), True),
        (ChannelAccess(Place.PRIVATE_THREAD, view=False, read_history=True, in_thread=True), False),
        (GONE, False),
    ],
)
def test_a_channel_object_needs_view_and_history_and_thread_membership(access: ChannelAccess, expected: bool) -> None:
    assert may_see(ME, GUILD, Subject(GUILD, 5), access) is expected


def test_another_server_or_no_server_never_sees() -> None:
    assert not may_see(ME, OTHER, Subject(GUILD, 5), READABLE)
    assert not may_see(ME, None, Subject(GUILD, None, frozenset({ME})), NOWHERE)


def test_parties_see_their_own_object_without_channel_access() -> None:
    assert may_see(ME, GUILD, Subject(GUILD, 5, frozenset({ME})), GONE)
    assert not may_see(THEM, GUILD, Subject(GUILD, 5, frozenset({ME})), GONE)


def test_private_objects_are_for_their_parties_only_even_with_channel_access() -> None:
    private = Subject(GUILD, 5, frozenset({ME}), private=True)
    assert may_see(ME, GUILD, private, GONE)
    assert not may_see(THEM, GUILD, private, READABLE)


def test_an_object_tied_to_no_channel_is_seen_by_the_server() -> None:
    assert may_see(THEM, GUILD, Subject(GUILD, None), NOWHERE)
