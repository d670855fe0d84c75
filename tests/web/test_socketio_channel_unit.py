"""The socket.io channel's settings and the web server's checks, without starting any server."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from channels.socketio import OriginCheckedSocketIOInput, clean_metadata, parse_origins
from tests.servers import ROOT

_spec = importlib.util.spec_from_file_location("web_serve", ROOT / "web" / "serve.py")
assert _spec and _spec.loader
serve = importlib.util.module_from_spec(_spec)
sys.modules["web_serve"] = serve
_spec.loader.exec_module(serve)


def test_credentials_from_an_env_var_and_unknown_keys() -> None:
    channel = OriginCheckedSocketIOInput.from_credentials(
        {
            "allowed_origins": " http://localhost:8080/, http://127.0.0.1:8080 ,,",
            "session_persistence": "true",  # what ${VAR} expands to
            "some_future_key": 42,
        }
    )
    assert channel.name() == "socketio"
    assert channel.socketio_path == "/socket.io"
    assert channel.session_persistence is True
    assert channel.allowed_origins == ["http://localhost:8080", "http://127.0.0.1:8080"]
    assert channel._cors_allowed_origins() == ["http://localhost:8080", "http://127.0.0.1:8080"]


def test_no_allowed_origins_means_no_page_not_every_page() -> None:
    # python-socketio reads [] as "origin check off": the channel must never pass it on
    for credentials in (None, {}, {"allowed_origins": ""}, {"allowed_origins": " , "}):
        channel = OriginCheckedSocketIOInput.from_credentials(credentials)
        check = channel._cors_allowed_origins()
        assert check != []
        assert callable(check) and check("http://localhost:8080") is False
    assert parse_origins(["https://a.example/"]) == ["https://a.example"]


def test_only_a_supported_language_is_taken_from_the_page() -> None:
    assert clean_metadata({"language": "fr", "admin": True}) == {"language": "fr"}
    assert clean_metadata('{"language": "EN-ca"}') == {"language": "en"}
    assert clean_metadata({"language": "de"}) == {}
    assert clean_metadata("not json") == {}
    assert clean_metadata(None) == {}
    assert clean_metadata(["fr"]) == {}


def test_web_server_checks_the_rasa_url() -> None:
    assert serve.rasa_origins("http://localhost:5005") == ("http://localhost:5005", "ws://localhost:5005")
    assert serve.rasa_origins("https://chat.example.org/") == (
        "https://chat.example.org",
        "wss://chat.example.org",
    )
    for bad in ("javascript:alert(1)", "localhost:5005", "http://", "http://user:pw@host:5005"):
        with pytest.raises(ValueError):
            serve.rasa_origins(bad)
    assert serve.resolve("/widget/../serve.py") is None
    assert serve.resolve("/demo/") is None
    assert serve.resolve("/") == ROOT / "web" / "demo" / "index.html"
