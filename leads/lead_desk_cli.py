"""The consultancy's command line: ``python -m leads list|show|export|erase|purge``.

``purge`` applies both retention periods: leads older than LEADS_RETENTION_DAYS (with their conversations),
then conversations with no message for TRACKER_RETENTION_DAYS (`make purge` runs it).

Reads LEADS_DB_URL and the tracker store (TRACKER_DB_URL, or TRACKER_DB_DIALECT + TRACKER_DB) like the
assistant (see project_settings.py). Exit status: 0 done; 1 nothing found, not confirmed, or a database error;
2 bad input. Errors are one line on stderr, never a traceback. ``list`` masks contact details (it is
the command run with someone looking over your shoulder); ``show`` and ``export`` give them in full.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from sqlalchemy.exc import SQLAlchemyError

from i18n.languages import SUPPORTED
from privacy.log_masking import mask_email, mask_phone
from privacy.tracker_retention import TrackerPurge, purge_conversations
from project_settings import ProjectSettings, SettingsError, get_settings, safe_url

from .emails import validate_email
from .lead_errors import LeadInputError
from .records import ErasureReport, Lead, utcnow
from .reference import normalise_reference
from .store import LeadStore

OK, NOT_DONE, USAGE_ERROR = 0, 1, 2
MAX_LIST = 10_000


class UsageError(Exception):
    """Bad command-line input; the message is the whole line shown."""


class NotDone(Exception):
    """Nothing found or not confirmed: status 1 with this message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage over several lines
        raise UsageError(f"{message} (see python -m leads --help)")


def _count(text: str, maximum: int = MAX_LIST) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= number <= maximum:
        raise argparse.ArgumentTypeError(f"{text} is not between 1 and {maximum}")
    return number


def _days(text: str) -> int:
    return _count(text, 100 * 366)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m leads", description="The consultancy's \"Book a call\" leads.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    listing = commands.add_parser("list", help="recent leads, newest first (contact details masked)")
    listing.add_argument("--limit", type=_count, default=20, metavar="N", help="how many (default 20)")
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    show = commands.add_parser("show", help="one lead in full, with its screening summary")
    show.add_argument("reference", metavar="REF", help="e.g. QP-7K4Q-2M9X (case and dashes don't matter)")
    show.add_argument("--json", action="store_true", help="JSON instead of text")
    show.add_argument("--lang", choices=SUPPORTED, help="language of the criteria (default: the lead's)")
    export = commands.add_parser("export", help="every lead as CSV, full details")
    export.add_argument("--csv", required=True, metavar="FILE",
                        help="file to write (readable by you only), or - for stdout")
    erase = commands.add_parser("erase", help="erase a person's lead(s) and conversation (Law 25)")
    which = erase.add_mutually_exclusive_group(required=True)
    which.add_argument("--reference", metavar="REF", help="the lead with this reference")
    which.add_argument("--email", metavar="EMAIL", help="every lead with this address (any case)")
    erase.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    purge = commands.add_parser("purge", help="delete leads and conversations past their retention periods")
    purge.add_argument("--days", type=_days, metavar="N",
                       help="leads older than N days and their conversations (default: LEADS_RETENTION_DAYS)")
    purge.add_argument("--conversation-days", type=_days, metavar="N",
                       help="conversations with no message for N days (default: TRACKER_RETENTION_DAYS)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run one command; returns the exit status."""
    out = stdout or sys.stdout
    try:
        args = _parser().parse_args(argv)
        settings = get_settings()
        with LeadStore(settings.leads_database_url) as store:
            return _COMMANDS[args.command](args, store, settings, out, stdin or sys.stdin)
    except (UsageError, SettingsError, LeadInputError) as exc:
        return _fail(USAGE_ERROR, _input_message(exc))
    except NotDone as exc:
        return _fail(NOT_DONE, str(exc))
    except SQLAlchemyError as exc:
        return _fail(NOT_DONE, f"database error ({_database_problem(exc)})")
    except BrokenPipeError:  # `python -m leads list | head`
        return OK


def _fail(status: int, message: str) -> int:
    print(f"leads: error: {message}", file=sys.stderr)
    return status


def _input_message(exc: Exception) -> str:
    if isinstance(exc, LeadInputError):
        return {"email_empty": "the email is empty", "email_missing_at": "not an email address (no @)",
                "reference_invalid": "not a lead reference (like QP-7K4Q-2M9X)"}.get(
            exc.code, f"invalid {exc.field} ({exc.code})")
    return str(exc)


def _database_problem(exc: SQLAlchemyError) -> str:
    orig = str(getattr(exc, "orig", None) or "").strip()
    return (orig.splitlines()[0] if orig else type(exc).__name__)[:200]


def _list(args: argparse.Namespace, store: LeadStore, settings: ProjectSettings,
          out: TextIO, _: TextIO) -> int:
    leads = store.recent(args.limit)
    if args.json:
        for lead in leads:
            out.write(json.dumps(_masked(lead), ensure_ascii=False) + "\n")
        return OK
    if not leads:
        out.write(f"No leads in {safe_url(settings.leads_database_url)}.\n")
        return OK
    rows = [("REFERENCE", "CREATED (UTC)", "NAME", "EMAIL", "PHONE", "LANG", "VERDICT", "TIME ZONE")]
    for lead in leads:
        masked = _masked(lead)
        rows.append((lead.reference, lead.created_at.strftime("%Y-%m-%d %H:%M"), lead.full_name,
                     masked["email"], masked["phone"] or "-", lead.language, lead.verdict or "-",
                     lead.time_zone or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        out.write("  ".join(cells).rstrip() + "\n")
    return OK


def _masked(lead: Lead) -> dict[str, Any]:
    return {"reference": lead.reference, "created_at": lead.to_dict()["created_at"],
            "full_name": lead.full_name, "email": mask_email(lead.email),
            "phone": mask_phone(lead.phone) if lead.phone else None, "language": lead.language,
            "verdict": lead.verdict, "time_zone": lead.time_zone}


def _reference(text: str) -> str:
    reference = normalise_reference(text)
    if reference is None:
        raise UsageError(f"{text!r} is not a lead reference (like QP-7K4Q-2M9X)")
    return reference


def _show(args: argparse.Namespace, store: LeadStore, _: ProjectSettings, out: TextIO, __: TextIO) -> int:
    lead = store.get(_reference(args.reference))
    if lead is None:
        raise NotDone(f"no lead {_reference(args.reference)}")
    if args.json:
        out.write(json.dumps(lead.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return OK
    lang = args.lang or lead.language
    lines = [
        ("Reference", lead.reference),
        ("Created", lead.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Name", lead.full_name),
        ("Email", lead.email),
        ("Phone", f"{lead.phone} (typed: {lead.phone_typed})" if lead.phone else "-"),
        ("Preferred time", lead.preferred_time or "-"),
        ("Time zone", lead.time_zone or "not derived"),
        ("Language", lead.language),
        ("Consent", f"{lead.consent_at.strftime('%Y-%m-%d %H:%M UTC')}: {lead.consent_text}"),
        ("Conversation", lead.sender_id or "-"),
    ]
    for label, value in lines:
        out.write(f"{label + ':':<16}{value}\n")
    out.writelines(_screening_lines(lead.screening, lang))
    return OK


def _screening_lines(screening: dict[str, Any], lang: str) -> list[str]:
    if not screening:
        return ["Screening:      none\n"]
    lines = [f"Screening:      {screening.get('verdict') or '-'} (on {screening.get('on') or '-'})\n"]
    profile = screening.get("profile") or {}
    if profile:
        lines.append("Profile:        " + ", ".join(f"{k}={v}" for k, v in profile.items()) + "\n")
    for criterion in screening.get("criteria") or []:
        reason = criterion.get("reason")
        text = reason.get(lang, "") if isinstance(reason, dict) else str(reason or "")
        lines.append(f"  - {criterion.get('id')}: {criterion.get('status')}. {text}\n")
    for key in ("alternatives", "caveats"):
        if screening.get(key):
            lines.append(f"{key.capitalize() + ':':<16}{', '.join(screening[key])}\n")
    return lines


def _export(args: argparse.Namespace, store: LeadStore, _: ProjectSettings, out: TextIO, __: TextIO) -> int:
    if args.csv == "-":
        count = store.export_csv(out)
    else:
        try:
            # Personal data: readable by the consultant only; UTF-8 with BOM so Excel shows accents.
            descriptor = os.open(args.csv, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
                count = store.export_csv(handle)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc.strerror or exc}") from None
    print(f"Exported {count} lead(s).", file=sys.stderr)
    return OK


def _erase(args: argparse.Namespace, store: LeadStore, settings: ProjectSettings,
           out: TextIO, stdin: TextIO) -> int:
    if args.reference is not None:
        reference = _reference(args.reference)
        found = [lead for lead in [store.get(reference)] if lead]
        what, kwargs = reference, {"reference": reference}
    else:
        email = validate_email(args.email)
        found = store.find_by_email(email)
        what, kwargs = email, {"email": email}
    if not found:
        raise NotDone(f"no lead for {what}")
    if not args.yes:
        out.write(f"About to erase {len(found)} lead(s) ({', '.join(lead.reference for lead in found)}) "
                  "and the conversation(s) they came from. Type yes to confirm: ")
        out.flush()
        if stdin.readline().strip().lower() not in ("yes", "y", "oui", "o"):
            raise NotDone("not confirmed: nothing erased")
    report = store.erase(tracker_db_url=settings.tracker_database_url, **kwargs)
    out.write(_report_line("Erased", report) + "\n")
    return OK


def _purge(args: argparse.Namespace, store: LeadStore, settings: ProjectSettings,
           out: TextIO, _: TextIO) -> int:
    days = args.days or settings.leads_retention_days
    report = store.purge(days, tracker_db_url=settings.tracker_database_url)
    assert report.cutoff is not None
    out.write(_report_line("Purged", report) + f" (created before {report.cutoff:%Y-%m-%d %H:%M} UTC, "
              f"retention {days} days)\n")
    conversation_days = args.conversation_days or settings.tracker_retention_days
    out.write(_purge_line(purge_conversations(settings.tracker_database_url, conversation_days, utcnow()),
                          conversation_days) + "\n")
    return OK


def _purge_line(purge: TrackerPurge, days: int) -> str:
    if purge.status == "not_configured":
        return "No SQL tracker store configured: conversations NOT purged"
    if purge.status == "no_tracker":
        return "Purged 0 conversation(s): the tracker store has no conversations table"
    return (f"Purged {purge.events_deleted} event(s) of {purge.conversations} conversation(s) "
            f"with no message since {purge.cutoff:%Y-%m-%d %H:%M} UTC (retention {days} days)")


def _report_line(verb: str, report: ErasureReport) -> str:
    leads = f"{verb} {report.leads_deleted} lead(s)"
    if report.references:
        leads += f" ({', '.join(report.references)})"
    tracker = {
        "erased": f"and {report.events_deleted} event(s) of {len(report.sender_ids)} conversation(s)",
        "no_conversation": "; no conversation to erase in the tracker store",
        "no_tracker": "; the tracker store has no conversations table",
        "not_configured": "; no SQL tracker store configured: conversations NOT erased",
        "not_checked": "",
    }[report.tracker]
    return f"{leads} {tracker}".rstrip().replace(" ;", ";")


_COMMANDS = {"list": _list, "show": _show, "export": _export, "erase": _erase, "purge": _purge}


def run() -> NoReturn:
    """Entry point for ``python -m leads``."""
    sys.exit(main())
