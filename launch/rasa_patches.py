"""Every change this project makes to Rasa and rasa-sdk at run time, installed explicitly by the process
that needs it; nothing patches Rasa on import.

The Rasa server (``install_rasa_server_patches``, from launch.rasa_server and launch.rasa_shell):
- emails and phone numbers masked, and Rasa's conversation fields redacted, in every log record
  (privacy.log_masking);
- Rasa waits for the action server a little longer than an action may take, never 300 s
  (channels.action_timeout);
- the action server's replies are checked against a JSON schema compiled once
  (channels.action_response_check);
- the SQL tracker store reads and saves a conversation with plain SQL statements, and keeps SQLite
  connections open in write-ahead-log mode (stores.lean_tracker_store);
- an event's class is found by its name in a table, not by walking every Event subclass for each event
  (stores.event_types);
- the SQL tracker store checks each pooled connection before use and runs a query once more when its
  connection was lost, so a cut database connection loses no turn (stores.sql_reconnect);
- a slot is copied by copying its attributes, not through copy's generic machinery, for each tracker
  Rasa makes (trackers.slot_copies);
- RulePolicy checks only the rules that can follow the latest action, sets a rule aside once the
  conversation walked past its length, and stops when no rule is left (policies.rule_lookup);
- calls to the action server reuse keep-alive connections instead of one new connection per call
  (channels.action_keepalive);
- the message readers behind the custom slot mappings (action_read_message) run in the Rasa server
  instead of on the action server (reading.in_process).

The action server (``install_action_server_patches``, from launch.action_server):
- the same log masking;
- every action bounded in time, a failure answered with an apology (actions.fault_guard);
- the first reply of a conversation says it is not immigration advice (actions.first_reply), an apology
  included.

The patches replace Rasa internals (a module constant, a private method, the executor's ``run``), so they
are only installed on the versions they were written for: on any other the process refuses to start,
until each patch has been checked against the new version and ``PATCHED_FOR`` updated. The Rasa server
never imports ``actions`` (the action server's package); both import ``reading``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from privacy.log_masking import install_masking

# The distributions the patches were written and tested for (constraints.txt pins the same).
PATCHED_FOR = {"rasa": "3.6.21", "rasa-sdk": "3.6.2"}

_installed: set[str] = set()


class UnsupportedRasaVersion(RuntimeError):
    """Rasa or rasa-sdk is not the version the patches were written for; the message is one line."""


def check_version(distribution: str, installed: str | None = None) -> None:
    """Raise UnsupportedRasaVersion unless ``distribution`` (default: the installed one) is the version
    in PATCHED_FOR."""
    expected = PATCHED_FOR[distribution]
    if installed is None:
        try:
            installed = version(distribution)
        except PackageNotFoundError:
            installed = "(none)"
    if installed != expected:
        written_for = " and ".join(f"{name} {release}" for name, release in PATCHED_FOR.items())
        raise UnsupportedRasaVersion(
            f"{distribution} {installed} is installed, but the Rasa patches (launch/rasa_patches.py) were "
            f"written for {written_for}: check each patch against {distribution} {installed}, then update "
            "PATCHED_FOR")


def install_rasa_server_patches() -> None:
    """The Rasa server's patches (idempotent); UnsupportedRasaVersion on another Rasa version."""
    check_version("rasa")
    install_masking()
    if "rasa_server" in _installed:
        return
    # Imported here: Rasa is slow to import, and the versions are checked first.
    import rasa.core.actions.action as rasa_actions

    from channels.action_keepalive import install as install_keepalive
    from channels.action_response_check import validate_action_result
    from channels.action_timeout import request_timeout
    from policies.rule_lookup import install as install_rule_lookup
    from reading.in_process import install as install_in_process_reading
    from stores.event_types import install as install_event_types
    from stores.lean_tracker_store import install as install_lean_tracker_store
    from stores.sql_reconnect import install as install_sql_reconnect
    from trackers.slot_copies import install as install_slot_copies

    rasa_actions.DEFAULT_REQUEST_TIMEOUT = request_timeout()  # read by RemoteAction.run at each call
    rasa_actions.RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    install_event_types()
    install_lean_tracker_store()  # before sql_reconnect, which wraps the save installed here
    install_sql_reconnect()
    install_keepalive()
    install_in_process_reading()
    install_rule_lookup()
    install_slot_copies()
    _installed.add("rasa_server")


def install_action_server_patches() -> None:
    """The action server's patches (idempotent); UnsupportedRasaVersion on another rasa-sdk version."""
    check_version("rasa-sdk")
    install_masking()
    if "action_server" in _installed:
        return
    # Imported here: the Rasa server, which imports this module too, must not import the actions.
    from rasa_sdk.executor import ActionExecutor

    from actions.fault_guard import guarded
    from actions.first_reply import with_not_advice_notice

    # The notice wraps the guard, so an apology that is the first reply says it too.
    run: Any = with_not_advice_notice(guarded(ActionExecutor.run))
    ActionExecutor.run = run  # type: ignore[method-assign]
    _installed.add("action_server")
