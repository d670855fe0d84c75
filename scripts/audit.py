"""`make audit`: known vulnerabilities in the pinned dependencies, with pip-audit, less the accepted ones.

pip-audit runs from its own virtualenv (.venv-audit/, made by `make audit`): its own dependencies (recent
packaging, CacheControl) conflict with Rasa 3.6's pins. It audits constraints.txt, the full `pip freeze`
of the project (requirements.txt's pins and everything they pull in), exactly as pinned (--no-deps), and
--strict: a package it could not look up fails the audit instead of being skipped in silence. Each
exception in config/audit-exceptions.yml becomes an --ignore-vuln. Exit status: pip-audit's (0: no
vulnerability left; 1: a vulnerability not accepted, or a package that could not be audited), 2 when the
exceptions file is malformed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS_FILE = ROOT / "config" / "audit-exceptions.yml"
PINS_FILE = ROOT / "constraints.txt"
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
# PYSEC-2023-1, GHSA-xxxx-xxxx-xxxx, CVE-2024-1234
VULNERABILITY_ID = re.compile(r"^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9_.:-]*$")
NOT_AUDITED = "could not be audited"
# pip-audit's advice to hash the pins: constraints.txt is a `pip freeze`, pinned exactly, on purpose.
_HASH_ADVICE = ("encouraged to fully hash", "Consider using a tool like `pip-compile`")


class ExceptionsFileError(Exception):
    """config/audit-exceptions.yml is malformed; the message says where."""


@dataclass(frozen=True)
class AcceptedVulnerability:
    id: str
    package: str
    reason: str
    note: str = ""


def pinned_packages(path: Path = PINS_FILE) -> dict[str, str]:
    """Normalised name → version of every `name==version` line."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, separator, version = line.split("#", 1)[0].strip().partition("==")
        if separator:
            pins[normalise(name)] = version.strip()
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load_exceptions(path: Path = EXCEPTIONS_FILE,
                    pins: dict[str, str] | None = None) -> list[AcceptedVulnerability]:
    """The accepted vulnerabilities, each with an id, a pinned package and a documented reason."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExceptionsFileError(f"{path.name}: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("reasons"), dict) \
            or not isinstance(document.get("exceptions"), list):
        raise ExceptionsFileError(f"{path.name}: needs a `reasons` mapping and an `exceptions` list")
    reasons = document["reasons"]
    if not all(isinstance(text, str) and text.strip() for text in reasons.values()):
        raise ExceptionsFileError(f"{path.name}: every reason needs an explanation")
    pins = pinned_packages() if pins is None else pins
    accepted: list[AcceptedVulnerability] = []
    for number, entry in enumerate(document["exceptions"], 1):
        accepted.append(_exception(entry, number, reasons, pins, path.name))
    ids = [exception.id for exception in accepted]
    if len(set(ids)) != len(ids):
        raise ExceptionsFileError(f"{path.name}: an id is listed twice")
    return accepted


def _exception(entry: object, number: int, reasons: dict[str, str], pins: dict[str, str],
               file_name: str) -> AcceptedVulnerability:
    where = f"{file_name}: exception {number}"
    if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) and entry[key].strip()
                                              for key in ("id", "package", "reason")):
        raise ExceptionsFileError(f"{where} needs an id, a package and a reason")
    unknown = set(entry) - {"id", "package", "reason", "note"}
    if unknown:
        raise ExceptionsFileError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    if not VULNERABILITY_ID.match(entry["id"]):
        raise ExceptionsFileError(f"{where}: {entry['id']!r} is not a vulnerability id like PYSEC-2023-1")
    if normalise(entry["package"]) not in pins:
        raise ExceptionsFileError(f"{where}: {entry['package']!r} is not pinned in constraints.txt")
    if entry["reason"] not in reasons:
        raise ExceptionsFileError(f"{where}: reason {entry['reason']!r} is not one of {', '.join(reasons)}")
    return AcceptedVulnerability(entry["id"], entry["package"], entry["reason"], str(entry.get("note") or ""))


def pip_audit_command(accepted: list[AcceptedVulnerability], pip_audit: Path = PIP_AUDIT,
                      pins_file: Path = PINS_FILE) -> list[str]:
    """The pip-audit command line: every pin as pinned, strict, the accepted ids ignored."""
    command = [str(pip_audit), "--requirement", str(pins_file), "--no-deps", "--disable-pip", "--strict",
               "--progress-spinner", "off", "--desc", "on", "--aliases", "on"]
    for exception in accepted:
        command += ["--ignore-vuln", exception.id]
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """``scripts/audit.py [--exceptions FILE] [--pins FILE] [PIP-AUDIT OPTIONS...]`` (e.g. ``-s osv``)."""
    parser = argparse.ArgumentParser(prog="scripts/audit.py", description=__doc__.splitlines()[0])
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS_FILE, help="accepted vulnerabilities")
    parser.add_argument("--pins", type=Path, default=PINS_FILE, help="the pinned requirements to audit")
    args, pip_audit_options = parser.parse_known_args(argv)
    try:
        accepted = load_exceptions(args.exceptions, pinned_packages(args.pins))
    except ExceptionsFileError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    if not PIP_AUDIT.exists():
        print(f"audit: {PIP_AUDIT} is missing: run `make audit`", file=sys.stderr)
        return 2
    print(f"Auditing {len(pinned_packages(args.pins))} pinned packages ({args.pins.name}); "
          f"{len(accepted)} accepted exception(s) in {args.exceptions.name}.", flush=True)
    command = pip_audit_command(accepted, pins_file=args.pins) + pip_audit_options
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout)
    sys.stderr.writelines(line + "\n" for line in done.stderr.splitlines()
                          if not any(advice in line for advice in _HASH_ADVICE))
    if NOT_AUDITED in done.stderr:
        print("audit: FAILED: pip-audit could not look a pinned version up, so the audit stopped. It asks "
              "https://pypi.org/pypi/NAME/VERSION/json; an index or mirror that doesn't serve that page "
              "answers 404 (run `make audit` where pypi.org is reachable, or "
              "`make audit AUDIT_ARGS='-s osv'` where api.osv.dev is).", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
