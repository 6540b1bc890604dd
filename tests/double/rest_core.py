"""Login, users, gateway info, guilds, members, roles and application commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import commands, payloads
from .errors import UNKNOWN_APPLICATION_COMMAND, UNKNOWN_MEMBER, ApiError, missing_access, not_found
from .gateway import GUILD_MEMBERS
from .rest import RequestContext, RouteTable

if TYPE_CHECKING:
    from .core import DoubleCore

routes = RouteTable()


@routes.get("/users/@me")
async def get_current_user(core: DoubleCore, ctx: RequestContext) -> Any:
    return payloads.current_user(core.world.bot_user)


@routes.get("/users/{user_id}")
async def get_user(core: DoubleCore, ctx: RequestContext) -> Any:
    return payloads.user(core.world.user(ctx.params["user_id"]))


@routes.get("/users/@me/guilds")
async def get_current_user_guilds(core: DoubleCore, ctx: RequestContext) -> Any:
    return [
        {
            "id": str(g.id),
            "name": g.name,
            "icon": None,
            "owner": False,
            "permissions": str(core.world.guild_permissions(g, core.world.bot_user.id)),
            "features": [],
        }
        for g in core.world.bot_guilds()
    ]


@routes.get("/oauth2/applications/@me")
async def get_application(core: DoubleCore, ctx: RequestContext) -> Any:
    return payloads.application(core.world)


@routes.get("/applications/@me")
async def get_application_me(core: DoubleCore, ctx: RequestContext) -> Any:
    return payloads.application(core.world)


@routes.get("/gateway")
async def get_gateway(core: DoubleCore, ctx: RequestContext) -> Any:
    return {"url": core.gateway_url.rstrip("/")}


@routes.get("/gateway/bot")
async def get_gateway_bot(core: DoubleCore, ctx: RequestContext) -> Any:
    return {
        "url": core.gateway_url.rstrip("/"),
        "shards": core.shards,
        "session_start_limit": {
            "total": core.session_starts_total,
            "remaining": max(0, core.session_starts_remaining),
            "reset_after": 14400000,
            "max_concurrency": core.max_concurrency,
        },
    }


# guilds -----------------------------------------------------------------------------------------


@routes.get("/guilds/{guild_id}")
async def get_guild(core: DoubleCore, ctx: RequestContext) -> Any:
    guild = core.world.guild(ctx.params["guild_id"])
    data = payloads.guild(core.world, guild)
    if ctx.query.get("with_counts") in ("true", "1"):
        data["approximate_member_count"] = len(guild.members)
        data["approximate_presence_count"] = 0
    return data


@routes.get("/guilds/{guild_id}/roles")
async def get_roles(core: DoubleCore, ctx: RequestContext) -> Any:
    guild = core.world.guild(ctx.params["guild_id"])
    return [payloads.role(r) for r in guild.roles.values()]


@routes.get("/guilds/{guild_id}/roles/{role_id}")
async def get_role(core: DoubleCore, ctx: RequestContext) -> Any:
    guild = core.world.guild(ctx.params["guild_id"])
    role = guild.roles.get(int(ctx.params["role_id"])) if ctx.params["role_id"].isdigit() else None
    if role is None:
        raise not_found(10011, "Role")
    return payloads.role(role)


@routes.get("/guilds/{guild_id}/channels")
async def get_channels(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    guild = world.guild(ctx.params["guild_id"])
    return [payloads.channel(world, c) for c in world.guild_channels(guild)]


@routes.get("/guilds/{guild_id}/members/{user_id}")
async def get_member(core: DoubleCore, ctx: RequestContext) -> Any:
    guild = core.world.guild(ctx.params["guild_id"])
    raw = ctx.params["user_id"]
    member = guild.members.get(int(raw)) if raw.isdigit() else None
    if member is None:
        raise ApiError(404, UNKNOWN_MEMBER, "Unknown Member")
    return payloads.member(member)


@routes.get("/guilds/{guild_id}/members")
async def list_members(core: DoubleCore, ctx: RequestContext) -> Any:
    if not core.privileged_intents & GUILD_MEMBERS:
        raise missing_access()
    guild = core.world.guild(ctx.params["guild_id"])
    limit = int(ctx.query.get("limit", 1))
    if not 1 <= limit <= 1000:
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            errors={
                "limit": {
                    "_errors": [{"code": "NUMBER_TYPE_MAX", "message": "int value should be between 1 and 1000."}]
                }
            },
        )
    after = int(ctx.query.get("after", 0))
    members = sorted((m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id)
    return [payloads.member(m) for m in members[:limit]]


@routes.get("/guilds/{guild_id}/threads/active")
async def active_threads(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    guild = world.guild(ctx.params["guild_id"])
    threads = [t for t in world.guild_channels(guild, threads=True) if not t.archived and world.bot_can_view(t)]
    bot_id = world.bot_user.id
    return {
        "threads": [payloads.channel(world, t) for t in threads],
        "members": [payloads.thread_member(t, bot_id) for t in threads if bot_id in t.member_ids],
    }


# application commands ---------------------------------------------------------------------------


def _scope(core: DoubleCore, ctx: RequestContext) -> int | None:
    if ctx.params["application_id"] != str(core.world.application_id):
        raise ApiError(403, 50001, "Missing Access")
    if "guild_id" not in ctx.params:
        return None
    guild = core.world.guild(ctx.params["guild_id"])
    return guild.id


@routes.get("/applications/{application_id}/commands")
@routes.get("/applications/{application_id}/guilds/{guild_id}/commands")
async def get_commands(core: DoubleCore, ctx: RequestContext) -> Any:
    return [payloads.command(c) for c in core.world.registered(_scope(core, ctx))]


@routes.put("/applications/{application_id}/commands")
@routes.put("/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite_commands(core: DoubleCore, ctx: RequestContext) -> Any:
    scope = _scope(core, ctx)
    payload = commands.validate_bulk(ctx.json)
    stored = commands.store(core.world, scope, payload)
    core.sync_count[scope] += 1
    return [payloads.command(c) for c in stored]


@routes.post("/applications/{application_id}/commands")
@routes.post("/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(core: DoubleCore, ctx: RequestContext) -> Any:
    scope = _scope(core, ctx)
    body = ctx.body()
    others = [
        payloads.command(c)
        for c in core.world.registered(scope)
        if (c.name, c.type) != (body.get("name"), body.get("type", 1))
    ]
    commands.validate_bulk([*others, body])
    stored = commands.store(core.world, scope, [*others, body])
    return payloads.command(next(c for c in stored if c.name == body["name"]))


@routes.get("/applications/{application_id}/guilds/{guild_id}/commands/permissions")
async def get_command_permissions(core: DoubleCore, ctx: RequestContext) -> Any:
    _scope(core, ctx)
    return []


def _command(core: DoubleCore, ctx: RequestContext) -> tuple[int | None, Any]:
    scope = _scope(core, ctx)
    for cmd in core.world.registered(scope):
        if str(cmd.id) == ctx.params["command_id"]:
            return scope, cmd
    raise ApiError(404, UNKNOWN_APPLICATION_COMMAND, "Unknown application command")


@routes.get("/applications/{application_id}/commands/{command_id}")
@routes.get("/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def get_command(core: DoubleCore, ctx: RequestContext) -> Any:
    return payloads.command(_command(core, ctx)[1])


@routes.delete("/applications/{application_id}/commands/{command_id}")
@routes.delete("/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(core: DoubleCore, ctx: RequestContext) -> Any:
    scope, cmd = _command(core, ctx)
    core.world.commands[scope] = [c for c in core.world.registered(scope) if c is not cmd]
    return None
