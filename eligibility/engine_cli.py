"""Command line: `python -m eligibility assess`, `value KEY`, `keys` and `facts [--older-than DAYS]`.

Bad input exits with status 2 and one line on stderr naming the problem, never a traceback, so the
tool can be scripted and its errors read by a person.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn, TextIO

from i18n.languages import SUPPORTED

from .assessment_models import jsonable
from .engine import assess
from .engine_errors import DataFileError, ProfileError, UnknownKeyError
from .fields import PROFILE_FIELDS
from .profile_input import check_skip, parse_profile
from .program import load_program

USAGE_ERROR = 2
DATA_ERROR = 1


class UsageError(Exception):
    """Bad command-line input; the message is the whole line shown to the person."""


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus a message over several lines; we want one line and status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m eligibility", description="IMP+ (PMI+) pre-screening engine.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    run = commands.add_parser("assess", help="assess a profile read as JSON from stdin or --profile")
    run.add_argument("--profile", metavar="FILE", help="read the profile from FILE instead of stdin")
    run.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD",
                     help="assessment date (default: today)")
    run.add_argument("--lang", choices=SUPPORTED, help="print texts in one language only")
    run.add_argument("--skip", nargs="*", default=[], metavar="FIELD",
                     help=f"fields the person does not know ({', '.join(PROFILE_FIELDS)})")

    show = commands.add_parser("value", help="print one dated program value with its reference")
    show.add_argument("key", help="program key, e.g. cap")
    show.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD", help="date (default: today)")
    show.add_argument("--lang", choices=SUPPORTED, help="print texts in one language only")

    commands.add_parser("keys", help="list the program keys")

    facts = commands.add_parser(
        "facts", help="list the facts in force with their confidence, source and last check"
    )
    facts.add_argument("--older-than", type=_days, default=None, metavar="DAYS",
                       help="only the facts last checked more than DAYS days ago: due for a check")
    facts.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD", help="date (default: today)")
    return parser


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days")
    return days


def _facts(on: date, older_than: int | None) -> list[dict[str, Any]]:
    """The facts in force on a date (those last checked over `older_than` days ago, if given)."""
    program = load_program()
    entries = program.due_for_check(on, older_than if older_than is not None else -1)
    return [
        {
            "key": e.key,
            "confidence": e.confidence,
            "last_checked": e.last_checked.isoformat(),
            "days_since_check": (on - e.last_checked).days,
            "source": e.reference.title,
            "url": e.reference.url,
        }
        for e in entries
    ]


def _read_profile(path: str | None, stdin: TextIO) -> Any:
    try:
        if path is None:
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read profile file {path!r}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError("profile is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise UsageError(f"profile is not valid JSON: {exc.msg} at {where}") from None
    if not isinstance(data, dict):
        raise UsageError(f"profile must be a JSON object, got {_json_type(data)}")
    return data


def _json_type(data: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null",
             int: "a number", float: "a number"}
    return names.get(type(data), type(data).__name__)


def main(argv: Sequence[str] | None = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
         stderr: TextIO = sys.stderr) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        on = args.on if getattr(args, "on", None) is not None else date.today()
        if args.command == "assess":
            profile = parse_profile(_read_profile(args.profile, stdin))
            result: Any = assess(profile, on, check_skip(args.skip)).to_dict(args.lang)
        elif args.command == "value":
            result = jsonable(load_program().value(args.key, on), args.lang)
        elif args.command == "facts":
            result = _facts(on, args.older_than)
        else:
            program = load_program()
            result = {key: program.description(key) for key in program.keys()}
    except (UsageError, ProfileError, UnknownKeyError) as exc:
        print(f"error: {_one_line(exc)}", file=stderr)
        return USAGE_ERROR
    except DataFileError as exc:
        print(f"error: data file: {_one_line(exc)}", file=stderr)
        return DATA_ERROR
    json.dump(result, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


def run(argv: list[str] | None = None) -> NoReturn:
    """Entry point for `python -m eligibility`."""
    try:
        status = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head` and the like: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.exit(status)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).splitlines())
