"""Leading and closing vocatives."""

from __future__ import annotations

from bot.summary.address import split_address


def test_split_address() -> None:
    assert split_address("Hi Maya, can you help?") == ("Maya", "can you help?")
    assert split_address("can you help, Sam?") == ("Sam", "can you help?")
    assert split_address("Thanks, that works.") == (None, "that works.")
