"""A local Discord double for end-to-end tests with the real discord.py client.

An aiohttp server on 127.0.0.1 serves Discord's REST API under ``/api/v10`` and the gateway
websocket on the same port, backed by an in-memory world. It validates requests like Discord
(and rejects what Discord would reject), dispatches the gateway events Discord would send, and
lets tests act as users (slash commands, buttons, modals, messages, DMs) and inject faults
(429s, 5xx, gateway drops, RESUME, op 7/9).

Start with ``DiscordDouble`` and ``running_client``; pytest fixtures are in ``tests.double.fixtures``.
"""

from . import perms
from .errors import ApiError, ClientDiedError, DoubleUsageError
from .gateway import DispatchRecord, GatewayRecord
from .harness import client_kwargs, running_client
from .interactions import InteractionRecord
from .models import Attachment, Channel, Guild, Member, Message, RegisteredCommand, Role, User
from .rest import RequestRecord
from .server import DiscordDouble

__all__ = [
    "ApiError",
    "Attachment",
    "Channel",
    "ClientDiedError",
    "DiscordDouble",
    "DispatchRecord",
    "DoubleUsageError",
    "GatewayRecord",
    "Guild",
    "InteractionRecord",
    "Member",
    "Message",
    "RegisteredCommand",
    "RequestRecord",
    "Role",
    "User",
    "client_kwargs",
    "perms",
    "running_client",
]
