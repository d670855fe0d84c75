"""Rasa's endpoint calls reuse keep-alive connections: a real HTTP server on loopback counts them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from channels import action_keepalive
from launch.rasa_replacements import original


async def calls_and_connections(calls: int, pause: float = 0.0) -> tuple[list[dict], int]:
    """`calls` requests through Rasa's EndpointConfig.request to a server that counts new connections."""
    connections = 0

    async def webhook(request: web.Request) -> web.Response:
        return web.json_response({"events": [], "responses": [], "echo": await request.json()})

    def counting_factory(factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        def new_connection() -> asyncio.Protocol:
            nonlocal connections
            connections += 1
            return factory()
        return new_connection

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    server = await asyncio.get_running_loop().create_server(counting_factory(runner.server), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    replies = []
    try:
        for number in range(calls):
            replies.append(await endpoint.request(json={"call": number}, method="post", timeout=5))
            await asyncio.sleep(pause)
    finally:
        await action_keepalive.close_sessions()
        server.close()
        await runner.cleanup()
    return replies, connections


def run(coroutine: Awaitable) -> object:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


@pytest.fixture()
def keepalive() -> None:
    action_keepalive.install()  # as the Rasa server does: for the rest of the process


def test_without_the_patch_rasa_opens_a_connection_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndpointConfig, "session", original(EndpointConfig, "session"))
    _, connections = run(calls_and_connections(3))
    assert connections == 3


def test_calls_share_one_connection_and_get_their_own_replies(keepalive: None) -> None:
    replies, connections = run(calls_and_connections(3))
    assert connections == 1
    assert [reply["echo"] for reply in replies] == [{"call": 0}, {"call": 1}, {"call": 2}]


def test_an_idle_connection_is_let_go_before_the_server_would(keepalive: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action_keepalive, "IDLE_CONNECTION_SECONDS", 0.2)
    replies, connections = run(calls_and_connections(2, pause=0.5))
    assert connections == 2 and len(replies) == 2
