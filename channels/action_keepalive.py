"""Keep-alive connections from the Rasa server to the action server.

Rasa 3.6 opens a new aiohttp session, so a new TCP connection, for every call to an endpoint
(``EndpointConfig.request`` enters ``self.session()`` and closes it after one request): a message costs
one to three connects and teardowns on both sides. Here ``EndpointConfig.session`` lends one session per
event loop and endpoint instead, whose connections stay open between calls.

The client drops an idle connection before the action server would (Sanic closes it after 5 s), so a
request is never sent on a connection the server is closing. A session belongs to one event loop; a
closed loop's sessions are forgotten with it. launch/rasa_patches.py installs this in the Rasa server.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Any

import aiohttp

# Below Sanic's KEEP_ALIVE_TIMEOUT (5 s): the client lets go of an idle connection first.
IDLE_CONNECTION_SECONDS = 4.0
# Connections one server keeps open to one endpoint at most (a burst beyond this waits for a free one).
MAX_CONNECTIONS = 64

_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple, aiohttp.ClientSession]] = (
    weakref.WeakKeyDictionary()
)


class BorrowedSession:
    """``async with`` gives the shared session and leaves it open (Rasa closes the one it owns)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        return None


def _endpoint_key(endpoint: Any) -> tuple:
    """What makes two endpoint configurations share a session: where they go and how they authenticate."""
    headers = tuple(sorted((endpoint.headers or {}).items()))
    auth = tuple(sorted((endpoint.basic_auth or {}).items()))
    return endpoint.url, headers, auth


def _new_session(endpoint: Any) -> aiohttp.ClientSession:
    auth = endpoint.basic_auth
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=aiohttp.BasicAuth(auth["username"], auth["password"]) if auth else None,
        connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS, keepalive_timeout=IDLE_CONNECTION_SECONDS),
        # Each request passes its own timeout (RemoteAction: channels.action_timeout.request_timeout()).
        timeout=aiohttp.ClientTimeout(total=None),
    )


def shared_session(endpoint: Any) -> aiohttp.ClientSession:
    """The running loop's session for `endpoint`, made on first use (and again if it was closed)."""
    per_loop = _sessions.setdefault(asyncio.get_running_loop(), {})
    key = _endpoint_key(endpoint)
    session = per_loop.get(key)
    if session is None or session.closed:
        session = per_loop[key] = _new_session(endpoint)
    return session


def borrowed_session(endpoint: Any) -> BorrowedSession:
    """A replacement for ``EndpointConfig.session``: the shared session, not closed after the request."""
    return BorrowedSession(shared_session(endpoint))


async def close_sessions() -> None:
    """Closes the running loop's sessions (at server stop, so no connection is left half-open)."""
    for session in _sessions.pop(asyncio.get_running_loop(), {}).values():
        await session.close()


def install() -> None:
    """Every Rasa endpoint (action server, NLG, model server) reuses its connections; idempotent."""
    from rasa.utils.endpoints import EndpointConfig

    from launch.rasa_replacements import replace

    replace(EndpointConfig, "session", borrowed_session)
