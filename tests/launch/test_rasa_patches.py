"""The Rasa patches: installed only by the launchers, only on the versions they were written for."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

from launch import action_server, rasa_patches, rasa_server, rasa_shell
from launch.rasa_patches import PATCHED_FOR, UnsupportedRasaVersion, check_version
from tests.servers import ROOT


def test_the_installed_versions_are_the_ones_patched() -> None:
    assert PATCHED_FOR == {"rasa": version("rasa"), "rasa-sdk": version("rasa-sdk")}
    check_version("rasa")
    check_version("rasa-sdk")


@pytest.mark.parametrize(("distribution", "installed"), [("rasa", "3.7.0"), ("rasa", "3.6.20"),
                                                         ("rasa-sdk", "3.6.3"), ("rasa-sdk", "(none)")])
def test_another_version_is_refused_in_one_line_naming_both(distribution: str, installed: str) -> None:
    with pytest.raises(UnsupportedRasaVersion) as refused:
        check_version(distribution, installed)
    message = str(refused.value)
    assert "\n" not in message
    assert f"{distribution} {installed} is installed" in message
    assert "rasa 3.6.21" in message and "rasa-sdk 3.6.2" in message


@pytest.fixture()
def another_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_patches, "version", lambda distribution: "4.0.0")
    monkeypatch.setattr(rasa_patches, "_installed", set())


def test_the_rasa_server_and_shell_refuse_to_start(another_version: None,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert rasa_server.main(["--check"]) == 1
    assert rasa_shell.main([]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2
    assert all(line.startswith("Not starting Rasa: rasa 4.0.0 is installed") for line in errors)


def test_the_action_server_refuses_to_start(another_version: None) -> None:
    with pytest.raises(SystemExit) as stopped:
        action_server.main([])
    assert str(stopped.value.code).startswith("Not starting the action server: rasa-sdk 4.0.0 is installed")


# In a fresh interpreter: what importing the packages and installing each server's patches change.
IMPORTS_CHANGE_NOTHING = """
import logging, sys
import rasa.core.actions.action as rasa_actions
from rasa_sdk.executor import ActionExecutor

def current():
    return (rasa_actions.DEFAULT_REQUEST_TIMEOUT, rasa_actions.RemoteAction._validate_action_result,
            ActionExecutor.run, logging.getLogRecordFactory())

original = current()
import channels, channels.action_response_check, channels.action_timeout, privacy.log_masking
assert current() == original, "importing the channels patched something"
from launch.rasa_patches import install_action_server_patches, install_rasa_server_patches
install_rasa_server_patches()
assert "actions" not in sys.modules, "the Rasa server imported the action server's package"
timeout, check, run, factory = current()
assert timeout < 60 and check is not original[1] and factory is not original[3] and run is original[2]

import actions, actions.booking, actions.fault_guard, actions.first_reply
assert current() == (timeout, check, run, factory), "importing the actions patched something"
install_action_server_patches()
install_action_server_patches()
patched = ActionExecutor.run
assert patched is not original[2] and patched.__qualname__.startswith("with_not_advice_notice")
print("ok")
"""


def test_imports_patch_nothing_and_each_server_installs_its_own() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORTS_CHANGE_NOTHING], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
