"""`python -m eligibility` through a real subprocess: JSON out, one-line errors with status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.conftest import REPO

GOOD = {"residence": "abroad", "has_csq": True, "csq_program": "regular_skilled_worker", "csq_valid": True,
        "pr_applied": True, "pr_decision": "none", "has_invitation": True, "application_complete": True}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eligibility", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=False)


def test_good_profile_prints_the_assessment() -> None:
    done = run("assess", "--on", "2026-11-24", stdin=json.dumps(GOOD))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "eligible"
    assert result["on"] == "2026-11-24"
    assert result["criteria"][0]["reason"]["fr"]
    assert result["cap"]["value"] == 7350 and result["cap"]["reference"]["url"].startswith("https://")


def test_language_and_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"residence": "quebec"}), encoding="utf-8")
    done = run("assess", "--profile", str(profile), "--on", "2026-06-01", "--lang", "fr")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "not_eligible" and result["next_question"] is None
    assert isinstance(result["criteria"][0]["reason"], str) and "Québec" in result["criteria"][0]["reason"]
    assert "é" in done.stdout  # ensure_ascii=False


def test_skip_option() -> None:
    done = run("assess", "--on", "2026-11-24", "--skip", "residence", stdin="{}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["next_question"] == "has_csq"


def test_value_command() -> None:
    done = run("value", "cap", "--on", "2022-06-01")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["value"] == 14700 and shown["reference"]["url"].startswith("https://")
    assert shown["last_checked"] == "2026-11-24"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("assess",), "{not json", "error: profile is not valid JSON"),
        (("assess",), "", "error: profile is not valid JSON"),
        (("assess",), "[1, 2]", "error: profile must be a JSON object, got an array"),
        (("assess",), '"abroad"', "error: profile must be a JSON object, got a string"),
        (("assess",), '{"foo": 1}', "error: unknown field 'foo'"),
        (("assess",), '{"residence": "mars"}',
         "error: residence: 'mars' is not one of quebec, other_province, abroad"),
        (("assess",), '{"has_csq": "yes"}', "error: has_csq: 'yes' is not one of true, false"),
        (("assess",), '{"pr_decision": 3}', "error: pr_decision: 3 is not one of none, approved, refused"),
        (("assess", "--on", "2026-02-30"), "{}", "error: argument --on: '2026-02-30' is not a valid date"),
        (("assess", "--on", "tomorrow"), "{}", "error: argument --on: 'tomorrow' is not a valid date"),
        (("assess", "--lang", "de"), "{}", "error: argument --lang: invalid choice"),
        (("assess", "--skip", "shoe_size"), "{}", "error: skip: unknown field 'shoe_size'"),
        (("assess", "--profile", "/no/such/file.json"), "", "error: cannot read profile file"),
        (("value", "nope"), "", "error: unknown program key 'nope'"),
        (("value", "cap", "--on", "2026-13-01"), "",
         "error: argument --on: '2026-13-01' is not a valid date"),
        ((), "", "error: the following arguments are required"),
        (("frobnicate",), "", "error: argument COMMAND: invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], stdin: str, message: str) -> None:
    done = run(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(message), lines[0]
    assert "Traceback" not in done.stderr
