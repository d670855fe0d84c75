"""Browsers: no CORS on the REST channel unless RASA_CORS_ORIGINS names the origin; the website's
socket.io channel refuses pages of other origins."""

from __future__ import annotations

import socketio

from tests.security.shared_servers import FOREIGN_ORIGIN, SHOP_ORIGIN, SecurityServers, http

WEBHOOK = "/webhooks/rest/webhook"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


def allowed_origin(url: str, origin: str, sender: str) -> str | None:
    """The Access-Control-Allow-Origin answered to a preflight and to a message from `origin`, if any."""
    preflight = http("OPTIONS", f"{url}{WEBHOOK}", headers={"Origin": origin, **PREFLIGHT})
    message = http("POST", f"{url}{WEBHOOK}", headers={"Origin": origin},
                   body={"sender": sender, "message": "hi"})
    assert message.status == 200
    answers = {reply.headers.get("access-control-allow-origin") for reply in (preflight, message)}
    assert len(answers) == 1, answers
    return answers.pop()


def test_no_cors_by_default(servers: SecurityServers) -> None:
    assert allowed_origin(servers.default_url, FOREIGN_ORIGIN, "cors-default") is None
    assert allowed_origin(servers.default_url, SHOP_ORIGIN, "cors-default") is None


def test_cors_for_the_configured_origin_only(servers: SecurityServers) -> None:
    assert allowed_origin(servers.configured_url, SHOP_ORIGIN, "cors-shop") == SHOP_ORIGIN
    assert allowed_origin(servers.configured_url, FOREIGN_ORIGIN, "cors-evil") is None


def connects(url: str, origin: str) -> bool:
    """Whether a socket.io client sending this Origin (as a browser does) gets connected.

    Long-polling: the origin is checked at the engine.io handshake, the same for both transports (the
    websocket transport needs websocket-client, which is not installed).
    """
    client = socketio.Client(reconnection=False)
    try:
        client.connect(url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10)
    except socketio.exceptions.ConnectionError:
        return False
    client.disconnect()
    return True


def test_socketio_accepts_the_website_origin_only(servers: SecurityServers) -> None:
    website = servers.assistant.env_value("WEB_ALLOWED_ORIGINS").split(",")[0]
    assert not connects(servers.default_url, FOREIGN_ORIGIN)
    assert not connects(servers.default_url, "null")
    assert connects(servers.default_url, website)
