"""Fixtures for action tests: real rasa_sdk Trackers, a CollectingDispatcher and the project's domain."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.servers import ROOT, shared_dir

TODAY = "2026-11-29"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setenv("IMPPLUS_TODAY", TODAY)
    return dt.date.fromisoformat(TODAY)


@pytest.fixture(autouse=True)
def leads_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A leads database of each test's own (holds, bookings), never the developer's var/leads.db."""
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("LEADS_DB_URL", url)
    return url


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def converse() -> ModuleType:
    """The shared evaluation script, whose classifiers read questions and verdicts like the checker does."""
    folder = shared_dir()
    if folder is None:
        pytest.skip("the public evaluation checker (shared/eval or IMPPLUS_SHARED_DIR) is not available")
    spec = importlib.util.spec_from_file_location("converse", Path(folder) / "eval" / "converse.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_tracker(
    slots: dict[str, Any] | None = None,
    intent: str = "inform",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text` classified as `intent`, like the one Rasa sends."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []}
    history = [{"event": "user", "text": text, "parse_data": latest}, *(events or [])]
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action: Action, tracker: Tracker, domain: dict[str, Any]) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return events, dispatcher


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, by name."""
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
