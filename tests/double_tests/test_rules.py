"""The double's rules checked directly (no client): command validation, message limits,
components, modals, permission maths, route patterns."""

from __future__ import annotations

from typing import Any

import pytest

from tests.double import ApiError, DiscordDouble, perms
from tests.double.commands import validate_bulk
from tests.double.errors import FormErrors
from tests.double.models import Channel, Guild, Member, Role, User
from tests.double.ratelimit import RoutePattern
from tests.double.validation import validate_components, validate_embeds, validate_message_fields, validate_modal


def _cmd(**overrides: Any) -> dict[str, Any]:
    cmd: dict[str, Any] = {"name": "checkin", "description": "Check in", "type": 1, "options": []}
    cmd.update(overrides)
    return cmd


def _opt(name: str, *, required: bool = False, type_: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "d", "type": type_, "required": required, **extra}


def _rejects(payload: Any) -> str:
    with pytest.raises(ApiError) as info:
        validate_bulk(payload)
    assert info.value.status == 400 and info.value.code == 50035
    return str(info.value.errors)


def test_valid_commands_pass() -> None:
    validate_bulk(
        [
            _cmd(options=[_opt("when", required=True), _opt("note", choices=[{"name": "a", "value": "a"}])]),
            _cmd(name="Summarize from here", description="", type=3),
            _cmd(
                name="settings",
                options=[
                    {
                        "name": "time",
                        "description": "t",
                        "type": 2,
                        "options": [
                            {"name": "zone", "description": "z", "type": 1, "options": [_opt("tz", required=True)]}
                        ],
                    }
                ],
            ),
        ]
    )


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ([_cmd(name="CheckIn")], "lowercase"),
        ([_cmd(name="check in")], "invalid"),
        ([_cmd(name="x" * 33)], "invalid"),
        ([_cmd(description="")], "BASE_TYPE"),
        ([_cmd(description="d" * 101)], "100"),
        ([_cmd(options=[_opt(f"o{i}") for i in range(26)])], "25"),
        ([_cmd(options=[_opt("a"), _opt("b", required=True)])], "REQUIRED_INVALID"),
        ([_cmd(options=[_opt("a"), _opt("a")])], "ALREADY_EXISTS"),
        ([_cmd(options=[_opt("a", choices=[{"name": str(i), "value": str(i)} for i in range(26)])])], "25"),
        ([_cmd(options=[_opt("a", autocomplete=True, choices=[{"name": "x", "value": "x"}])])], "mutually exclusive"),
        ([_cmd(), _cmd()], "DUPLICATE_NAME"),
        ([_cmd(name="Menu", description="no", type=3)], "cannot have a description"),
        ([_cmd(options=[{"name": "sub", "description": "s", "type": 1}, _opt("loose")])], "mixed"),
    ],
)
def test_invalid_commands_are_rejected(payload: list[dict[str, Any]], fragment: str) -> None:
    assert fragment in _rejects(payload)


def _errors(check: Any, *args: Any, **kwargs: Any) -> str:
    errs = FormErrors()
    check(errs, *args, **kwargs)
    return "" if not errs else str(errs._errors)


def test_embed_limits() -> None:
    assert _errors(validate_embeds, [{"title": "t" * 256, "description": "d" * 4096}]) == ""
    assert "LENGTH" in _errors(validate_embeds, [{"title": "t" * 257}])
    assert "LENGTH" in _errors(validate_embeds, [{}] * 11)
    assert "LENGTH" in _errors(validate_embeds, [{"footer": {"text": "f" * 2049}}])
    assert "LENGTH" in _errors(validate_embeds, [{"author": {"name": "a" * 257}}])
    assert "LENGTH" in _errors(validate_embeds, [{"fields": [{"name": "n" * 257, "value": "v"}]}])
    assert "LENGTH" in _errors(validate_embeds, [{"fields": [{"name": "n", "value": "v" * 1025}]}])
    assert "6000" in _errors(validate_embeds, [{"description": "d" * 4000}, {"description": "d" * 2001}])
    assert "URL" in _errors(validate_embeds, [{"url": "ftp://example.com"}])


def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def _button(custom_id: str = "b", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "B", "custom_id": custom_id, **extra}


def test_component_limits() -> None:
    assert _errors(validate_components, [_row(_button())], flags=0) == ""
    assert _errors(validate_components, [_row(_button(f"b{i}")) for i in range(6)], flags=0)
    assert _errors(validate_components, [_row(*(_button(f"b{i}") for i in range(6)))], flags=0)
    assert "100" in _errors(validate_components, [_row(_button("x" * 101))], flags=0)
    assert "80" in _errors(validate_components, [_row(_button(label="l" * 81))], flags=0)
    assert "DUPLICATED" in _errors(validate_components, [_row(_button("a")), _row(_button("a"))], flags=0)
    assert _errors(validate_components, [_button()], flags=0)  # buttons must sit in an action row
    link = {"type": 2, "style": 5, "label": "docs", "url": "https://example.com"}
    assert _errors(validate_components, [_row(link)], flags=0) == ""
    assert _errors(validate_components, [_row(dict(link, custom_id="x"))], flags=0)
    select = {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}]}
    assert _errors(validate_components, [_row(select, _button())], flags=0)
    assert "v2" not in _errors(validate_message_fields, {"components": [{"type": 10, "content": "hi"}]}, flags=1 << 15)
    assert _errors(
        validate_message_fields, {"content": "x", "components": [{"type": 10, "content": "hi"}]}, flags=1 << 15
    )


def _modal(*rows: dict[str, Any], title: str = "Title") -> dict[str, Any]:
    return {"custom_id": "m", "title": title, "components": list(rows)}


def _text(custom_id: str = "t", **extra: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1, "label": "Label", **extra}


def test_modal_limits() -> None:
    assert _errors(validate_modal, _modal(_row(_text()))) == ""
    assert _errors(validate_modal, _modal({"type": 18, "label": "L", "component": _text(label=None)})) == ""
    assert "45" in _errors(validate_modal, _modal(_row(_text()), title="t" * 46))
    assert _errors(validate_modal, _modal())
    assert _errors(validate_modal, _modal(*(_row(_text(f"t{i}")) for i in range(6))))
    assert "45" in _errors(validate_modal, _modal(_row(_text(label="l" * 46))))
    assert _errors(validate_modal, _modal(_row(_text(label=None))))  # action rows need the input's label
    assert "100" in _errors(validate_modal, _modal(_row(_text(placeholder="p" * 101))))
    assert _errors(validate_modal, _modal(_row(_text(min_length=10, max_length=5))))
    assert _errors(validate_modal, _modal(_row(_text(max_length=3, value="long"))))
    assert "DUPLICATED" in _errors(validate_modal, _modal(_row(_text("a")), _row(_text("a"))))


def _guild() -> tuple[Guild, User, User, Role]:
    owner, user = User(1, "owner"), User(2, "user")
    guild = Guild(id=100, name="g", owner_id=owner.id)
    guild.roles[100] = Role(100, 100, "@everyone", permissions=perms.DEFAULT_EVERYONE)
    role = Role(200, 100, "Managers", permissions=perms.MANAGE_MESSAGES)
    guild.roles[200] = role
    for u in (owner, user):
        guild.members[u.id] = Member(user=u, guild_id=100, role_ids=[], joined_at=None)  # type: ignore[arg-type]
    return guild, owner, user, role


def test_permission_maths() -> None:
    guild, owner, user, role = _guild()
    channel = Channel(id=300, type=0, name="c", guild_id=100)
    assert perms.channel_permissions(guild, channel, None, owner.id) == perms.ALL
    assert perms.channel_permissions(guild, channel, None, user.id) == perms.DEFAULT_EVERYONE
    assert perms.channel_permissions(guild, channel, None, 999) == 0
    # @everyone deny, role allow, member deny: applied in that order.
    channel.overwrites = [
        {"id": 100, "type": 0, "allow": 0, "deny": perms.SEND_MESSAGES},
        {"id": 200, "type": 0, "allow": perms.SEND_MESSAGES, "deny": 0},
    ]
    assert not perms.channel_permissions(guild, channel, None, user.id) & perms.SEND_MESSAGES
    assert not perms.channel_permissions(guild, channel, None, user.id) & perms.EMBED_LINKS  # implicit
    guild.members[user.id].role_ids = [200]
    assert perms.channel_permissions(guild, channel, None, user.id) & perms.SEND_MESSAGES
    channel.overwrites.append({"id": user.id, "type": 1, "allow": 0, "deny": perms.VIEW_CHANNEL})
    assert perms.channel_permissions(guild, channel, None, user.id) == 0
    role.permissions = perms.ADMINISTRATOR
    assert perms.channel_permissions(guild, channel, None, user.id) == perms.ALL
    thread = Channel(id=400, type=12, name="t", guild_id=100, parent_id=300)
    guild.members[user.id].role_ids = []
    channel.overwrites = []
    assert perms.channel_permissions(guild, thread, channel, user.id) == 0  # private, not a member
    thread.member_ids[user.id] = None  # type: ignore[assignment]
    assert perms.channel_permissions(guild, thread, channel, user.id) & perms.SEND_MESSAGES_IN_THREADS


def test_route_patterns() -> None:
    pattern = RoutePattern.parse("POST /channels/{channel_id}/messages")
    assert pattern.matches("POST", "/channels/{channel_id}/messages", "/channels/1/messages")
    assert not pattern.matches("GET", "/channels/{channel_id}/messages", "/channels/1/messages")
    assert RoutePattern.parse("POST /channels/{id}/messages").matches(
        "POST", "/channels/{channel_id}/messages", "/channels/1/messages"
    )
    assert RoutePattern.parse("/channels/1/messages").matches(
        "GET", "/channels/{channel_id}/messages", "/channels/1/messages"
    )
    assert not RoutePattern.parse("/channels/2/messages").matches(
        "GET", "/channels/{channel_id}/messages", "/channels/1/messages"
    )
    assert not RoutePattern.parse("GET /users/{user_id}").matches("GET", "/users/@me", "/users/@me")


async def test_double_lifecycle() -> None:
    async with DiscordDouble() as double:
        assert double.api_base == f"http://127.0.0.1:{double.port}/api/v10"
        assert double.gateway_url == f"ws://127.0.0.1:{double.port}/"
        assert double.bot_user.bot and double.bot_user.name == "rapport"
        guild = double.create_guild("Team")
        assert guild.everyone_role.id == guild.id
        assert (
            double.world.bot_permissions(double.create_channel(guild, "c"))
            == perms.DEFAULT_EVERYONE | perms.DEFAULT_BOT
        )
