"""`make audit`: the accepted-vulnerabilities file is well formed (offline), and the audit fails on a
vulnerability that isn't accepted and passes once it is (pip-audit against a local OSV stand-in)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scripts.audit import (
    EXCEPTIONS_FILE,
    PIP_AUDIT,
    ExceptionsFileError,
    load_exceptions,
    main,
    pip_audit_command,
)

VULNERABLE = ("jinja2", "3.1.6")
ADVISORY = "GHSA-test-0000-0001"


def test_the_exceptions_file_is_well_formed() -> None:
    """Every entry has an id, a package pinned in constraints.txt and one of the documented reasons."""
    assert EXCEPTIONS_FILE.exists()
    load_exceptions()  # raises ExceptionsFileError, naming the entry, when one is not


@pytest.mark.parametrize(("entry", "message"), [
    ({"id": "PYSEC-2023-1", "package": "tensorflow"}, "needs an id, a package and a reason"),
    ({"id": "PYSEC-2023-1", "package": "tensorflow", "reason": "because"}, "is not one of"),
    ({"id": "PYSEC-2023-1", "package": "not-a-pinned-package", "reason": "pin"}, "is not pinned"),
    ({"id": "tensorflow is old", "package": "tensorflow", "reason": "pin"}, "is not a vulnerability id"),
    ({"id": "PYSEC-2023-1", "package": "tensorflow", "reason": "pin", "until": "2027"}, "unknown keys"),
])
def test_malformed_exceptions_are_refused(tmp_path: Path, entry: dict[str, str], message: str) -> None:
    path = tmp_path / "exceptions.yml"
    path.write_text(json.dumps({"reasons": {"pin": "Rasa needs it."}, "exceptions": [entry]}))
    with pytest.raises(ExceptionsFileError, match=message):
        load_exceptions(path, {"tensorflow": "2.12.0"})


def test_each_accepted_id_is_passed_to_pip_audit(tmp_path: Path) -> None:
    path = tmp_path / "exceptions.yml"
    entries = [{"id": "PYSEC-2023-1", "package": "TensorFlow", "reason": "pin"},
               {"id": "GHSA-aaaa-bbbb-cccc", "package": "keras", "reason": "pin", "note": "checked"}]
    path.write_text(json.dumps({"reasons": {"pin": "Rasa needs it."}, "exceptions": entries}))
    command = pip_audit_command(load_exceptions(path, {"tensorflow": "2.12.0", "keras": "2.12.0"}))
    assert "--strict" in command and "--no-deps" in command
    assert [command[i + 1] for i, part in enumerate(command) if part == "--ignore-vuln"] == [
        "PYSEC-2023-1", "GHSA-aaaa-bbbb-cccc"]


@pytest.fixture()
def osv_stand_in() -> Iterator[str]:
    """An OSV query API on loopback that knows one advisory, for jinja2 3.1.6."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answer: dict[str, Any] = {}
            if (query["package"]["name"], query["version"]) == VULNERABLE:
                answer = {"vulns": [{"id": ADVISORY, "aliases": ["CVE-2099-0001"], "summary": "test advisory",
                                     "affected": [{"package": {"name": "jinja2", "ecosystem": "PyPI"},
                                                   "ranges": [{"type": "ECOSYSTEM", "events": [
                                                       {"introduced": "0"}, {"fixed": "9.0"}]}]}]}]}
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(not PIP_AUDIT.exists(), reason="pip-audit is not installed (`make audit` installs it)")
def test_audit_fails_on_an_unaccepted_vulnerability_and_passes_once_accepted(
        tmp_path: Path, osv_stand_in: str, capsys: pytest.CaptureFixture[str]) -> None:
    pins = tmp_path / "pins.txt"
    pins.write_text("jinja2==3.1.6\nmarkupsafe==3.0.4\n")
    exceptions = tmp_path / "exceptions.yml"
    service = ["--vulnerability-service", "osv", "--osv-url", osv_stand_in, "--cache-dir", str(tmp_path)]

    def audit(accepted: list[dict[str, str]]) -> int:
        exceptions.write_text(json.dumps({"reasons": {"pin": "Tested."}, "exceptions": accepted}))
        return main(["--exceptions", str(exceptions), "--pins", str(pins), *service])

    assert audit([]) == 1 and ADVISORY in capsys.readouterr().out
    assert audit([{"id": "CVE-2099-0001", "package": "jinja2", "reason": "pin"}]) == 0
    assert audit([{"id": ADVISORY, "package": "jinja2", "reason": "pin"}]) == 0
