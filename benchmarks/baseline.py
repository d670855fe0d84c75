"""The baseline: Rasa's own starter assistant (`rasa init`), built with the same Rasa, on the same machine.

It tells what a turn costs in a plain Rasa stack here (its default pipeline and policies, in-memory tracker
store, no action server), so the assistant's numbers can be read as "how much more than Rasa itself".
Built once into var/bench/baseline/ (git-ignored) and reused until `--fresh` or a Rasa upgrade.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from benchmarks.training import rasa_env, timed_rasa
from tests.servers import ROOT, VENV_BIN

BASELINE_DIR = ROOT / "var" / "bench" / "baseline"


@dataclass(frozen=True)
class BaselineProject:
    """The `rasa init --no-prompt` project, its trained model and how long training it took."""

    folder: Path = BASELINE_DIR

    @property
    def project(self) -> Path:
        return self.folder / "project"

    @property
    def record(self) -> Path:
        return self.folder / "training.json"

    def model(self) -> Path:
        return max((self.project / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)

    def prepare(self, fresh: bool = False) -> dict[str, object]:
        """Creates and trains the project unless a build by this Rasa is there; returns its training record.

        `rasa init --no-prompt` scaffolds and trains in one command: its time is the training time.
        """
        if fresh:
            shutil.rmtree(self.folder, ignore_errors=True)
        rasa_version = version("rasa")
        if self.record.exists():
            record = json.loads(self.record.read_text())
            if record.get("rasa") == rasa_version and list((self.project / "models").glob("*.tar.gz")):
                return {**record, "cached": True}
        shutil.rmtree(self.project, ignore_errors=True)
        self.project.mkdir(parents=True)
        command = [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(self.project)]
        seconds = timed_rasa(command, self.project, self.folder / "init.log", rasa_env())
        record = {"rasa": rasa_version, "train_seconds": round(seconds, 1)}
        self.record.write_text(json.dumps(record, indent=1))
        return {**record, "cached": False}

    def start_server(self, port: int, log: Path) -> subprocess.Popen:
        """`rasa run` in the project folder, with the project's own default endpoints and credentials."""
        command = [str(VENV_BIN / "rasa"), "run", "-m", str(self.model()), "-i", "127.0.0.1", "-p", str(port)]
        with log.open("ab") as output:
            return subprocess.Popen(command, cwd=self.project, env=rasa_env(), stdout=output,
                                    stderr=subprocess.STDOUT, start_new_session=True)
