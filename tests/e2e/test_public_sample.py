"""The shared public sample of conversation checks passes in full against the running assistant."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import Assistant, shared_dir


def test_public_sample_passes_in_full(assistant: Assistant, tmp_path: Path) -> None:
    folder = shared_dir()
    if folder is None:
        pytest.skip("shared/eval is not beside this checkout")
    out = tmp_path / "converse.json"
    run = subprocess.run(
        [
            sys.executable,
            str(folder / "eval" / "converse.py"),
            "--url",
            assistant.url,
            str(folder / "eval" / "public" / "sample.yml"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(run.stdout)
    summary = json.loads(out.read_text())["summary"]
    assert run.returncode == 0, run.stdout[-3000:]
    assert "transport errors 0" in summary
