"""The shared public sample of conversation checks passes in full against the running assistant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.servers import Assistant, run_public_sample, shared_dir


def test_public_sample_passes_in_full(assistant: Assistant, tmp_path: Path) -> None:
    if shared_dir() is None:
        pytest.skip("shared/eval (or IMPPLUS_SHARED_DIR) absent; test_conversations.py covers its ground")
    out = tmp_path / "converse.json"
    run = run_public_sample(assistant.url, out)
    print(run.stdout)
    summary = json.loads(out.read_text())["summary"]
    assert run.returncode == 0, run.stdout[-3000:]
    assert "transport errors 0" in summary
