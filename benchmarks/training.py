"""Training from scratch, timed: the one cost paid on every change to the training data or the config."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from tests.servers import ROOT, VENV_BIN


def rasa_env(**extra: str) -> dict[str, str]:
    """The environment for a Rasa command: quiet TensorFlow and SQLAlchemy, no telemetry, plus `extra`."""
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        **extra,
    }


def timed_rasa(command: list[str], cwd: Path, log: Path, env: dict[str, str]) -> float:
    """Runs a Rasa command to the end, its output into `log`; returns the seconds it took."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, check=True)
        return time.perf_counter() - started


def train_assistant(log: Path) -> float:
    """`rasa train --force` of this assistant into a throwaway folder (models/ is left as it is)."""
    with tempfile.TemporaryDirectory() as out:
        command = [str(VENV_BIN / "rasa"), "train", "--force", "--out", out]
        return timed_rasa(command, ROOT, log, rasa_env(PYTHONPATH=str(ROOT)))
