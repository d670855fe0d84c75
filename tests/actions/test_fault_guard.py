"""rasa-sdk's real executor with the fault guard: failures and slow actions end in an apology."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection

from channels.action_timeout import request_timeout
from i18n.catalog import text
from launch.rasa_patches import install_action_server_patches
from project_settings import action_timeout


@pytest.fixture(autouse=True, scope="module")
def patched_executor() -> None:
    """rasa-sdk's executor with the patches launch.action_server installs (fault guard, first reply)."""
    install_action_server_patches()


class Failing(Action):
    def name(self) -> str:
        return "test_failing"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise RuntimeError("boom")


class Slow(Action):
    def name(self) -> str:
        return "test_slow"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        await asyncio.sleep(30)
        return []


class Rejecting(Action):
    def name(self) -> str:
        return "test_rejecting"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise ActionExecutionRejection("test_rejecting")


def call(action: str, language: str | None, latest: str = "hello", first: bool = False) -> dict[str, Any]:
    """An action call in a conversation where the assistant has already spoken, unless `first`."""
    spoke = [] if first else [{"event": "bot", "text": "Hello!"}]
    tracker = {"sender_id": "t", "slots": {"language": language}, "latest_message": {"text": latest},
               "events": [{"event": "session_started"}, *spoke], "paused": False, "followup_action": None,
               "active_loop": {}, "latest_action_name": None}
    return {"next_action": action, "tracker": tracker, "domain": {}, "version": "3.6.2"}


def executor() -> ActionExecutor:
    runner = ActionExecutor()
    for action in (Failing, Slow, Rejecting):
        runner.register_action(action)
    return runner


def test_an_exception_becomes_an_apology_in_the_persons_language(caplog: pytest.LogCaptureFixture) -> None:
    result = asyncio.run(executor().run(call("test_failing", "fr")))
    assert result["events"] == [] and len(result["responses"]) == 1
    assert result["responses"][0]["text"] == text("fr", "guard.unavailable")
    assert "boom" in caplog.text and "Traceback" in caplog.text  # server-side only


def test_without_a_language_slot_the_message_decides() -> None:
    french = call("test_failing", None, "Bonjour, est-ce que je suis admissible?")
    result = asyncio.run(executor().run(french))
    assert result["responses"][0]["text"] == text("fr", "guard.unavailable")


def test_a_slow_action_is_cut_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0.2")
    result = asyncio.run(asyncio.wait_for(executor().run(call("test_slow", "en")), timeout=5))
    assert result["responses"][0]["text"] == text("en", "guard.unavailable")


def test_a_first_reply_says_it_is_not_advice_even_when_it_is_an_apology() -> None:
    result = asyncio.run(executor().run(call("test_failing", "fr", first=True)))
    expected = [text("fr", "not_advice"), text("fr", "guard.unavailable")]
    assert [r["text"] for r in result["responses"]] == expected


def test_rasa_protocol_exceptions_pass_through() -> None:
    with pytest.raises(ActionExecutionRejection):
        asyncio.run(executor().run(call("test_rejecting", "en")))


def test_timeouts_stay_inside_the_lock_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    assert action_timeout() < request_timeout() < 60
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "500")
    monkeypatch.setenv("TICKET_LOCK_LIFETIME", "30")
    assert action_timeout() < request_timeout() < 30
