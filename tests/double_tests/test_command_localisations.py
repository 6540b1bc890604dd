"""The double rejects the localisations Discord rejects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.double.commands import COMMAND_SIZE_LIMIT, command_size, validate_bulk
from tests.double.errors import ApiError


def _command(**extra: Any) -> dict[str, Any]:
    return {"name": "about", "description": "About the bot.", "type": 1, **extra}


def test_valid_localisations_pass() -> None:
    payload = [_command(description_localizations={"de": "Über den Bot.", "pt-BR": "Sobre o bot."})]
    assert validate_bulk(payload) == payload


@pytest.mark.parametrize(
    "extra",
    [
        {"description_localizations": {"xx": "Nope."}},
        {"description_localizations": {"de": "x" * 101}},
        {"description_localizations": {"de": ""}},
        {"name_localizations": {"de": "Über Bot"}},
        {"name_localizations": {"fr": "A-propos"}},
    ],
)
def test_bad_localisations_are_refused(extra: dict[str, Any]) -> None:
    with pytest.raises(ApiError):
        validate_bulk([_command(**extra)])


def test_the_size_limit_counts_the_longest_localisation() -> None:
    options = [
        {"name": f"o{i}", "description": "d", "type": 3, "description_localizations": {"de": "x" * 100}}
        for i in range(25)
    ]
    group = [
        {"name": f"s{j}", "description": "d", "type": 1, "options": options} for j in range(4)
    ]
    payload = _command(options=group)
    assert command_size(payload) > COMMAND_SIZE_LIMIT
    with pytest.raises(ApiError):
        validate_bulk([payload])
    smaller = _command(options=group[:2])
    assert command_size(smaller) < COMMAND_SIZE_LIMIT
    validate_bulk([smaller])
