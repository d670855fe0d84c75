"""The consultancy's command line: ``python -m leads list|show|export|erase|purge|stats|backup|restore``.

``purge`` applies both retention periods: leads older than LEADS_RETENTION_DAYS (with their conversations),
then conversations with no message for TRACKER_RETENTION_DAYS (`make purge` runs it). ``stats`` prints the
funnel of the conversations in the tracker store (leads/funnel.py), and needs no leads database.
``backup`` writes a consistent copy of the leads database and ``restore`` puts one back (leads/backup.py).

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
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from sqlalchemy.exc import SQLAlchemyError

from i18n.catalog import text
from i18n.formatting import format_share
from i18n.languages import SUPPORTED
from privacy.log_masking import mask_email, mask_phone
from privacy.tracker_retention import TrackerPurge, purge_conversations
from project_settings import ProjectSettings, SettingsError, get_settings, safe_url

from .backup import METHOD_NAMES, BackupError, BackupResult, backup, restore
from .emails import validate_email
from .funnel import STAGES, FunnelReport, NoTrackerStore, StageCounts, funnel_report
from .funnel_chart import channel_label, language_label
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


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


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
    save = commands.add_parser("backup", help="a consistent copy of the leads database")
    save.add_argument("--out", required=True, metavar="FILE", help="file to write (readable by you only)")
    put_back = commands.add_parser("restore", help="replace every lead by those of a backup")
    put_back.add_argument("--from", dest="source", required=True, metavar="FILE",
                          help="a file written by python -m leads backup")
    put_back.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    stats = commands.add_parser("stats", help="the funnel: conversations, checks, verdicts, bookings")
    stats.add_argument("--since", type=_date, required=True, metavar="DATE",
                       help="first day (YYYY-MM-DD) of the conversations counted")
    stats.add_argument("--until", type=_date, metavar="DATE", help="last day, included (default: none)")
    stats.add_argument("--zone", default="UTC", metavar="ZONE",
                       help="time zone the days are in, e.g. America/Toronto (default UTC)")
    stats.add_argument("--json", action="store_true", help="JSON instead of tables")
    stats.add_argument("--lang", choices=SUPPORTED, default="en", help="language of the labels (default en)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run one command; returns the exit status."""
    out = stdout or sys.stdout
    try:
        args = _parser().parse_args(argv)
        settings = get_settings()
        if args.command == "stats":  # reads the tracker store only
            return _stats(args, settings, out)
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


def _backup(args: argparse.Namespace, store: LeadStore, settings: ProjectSettings,
            out: TextIO, _: TextIO) -> int:
    result = _backed_up(lambda: backup(store.url, Path(args.out)))
    out.write(f"Backed up {result.leads} lead(s) of {safe_url(store.url)} to {result.path} "
              f"({METHOD_NAMES[result.method]})\n")
    return OK


def _restore(args: argparse.Namespace, store: LeadStore, settings: ProjectSettings,
             out: TextIO, stdin: TextIO) -> int:
    source = Path(args.source)
    if not source.is_file():
        raise UsageError(f"no file {args.source}")
    if not args.yes:
        out.write(f"About to replace every lead of {safe_url(store.url)} by those of {source}. "
                  "Type yes to confirm: ")
        out.flush()
        if stdin.readline().strip().lower() not in ("yes", "y", "oui", "o"):
            raise NotDone("not confirmed: nothing restored")
    store.close()  # no connection of ours in the way of the restoration
    result = _backed_up(lambda: restore(store.url, source))
    out.write(f"Restored {result.leads} lead(s) into {safe_url(store.url)} from {source} "
              f"({METHOD_NAMES[result.method]})\n")
    return OK


def _backed_up(work: Callable[[], BackupResult]) -> BackupResult:
    try:
        return work()
    except BackupError as exc:
        raise NotDone(str(exc)) from None


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


def _stats(args: argparse.Namespace, settings: ProjectSettings, out: TextIO) -> int:
    url = settings.tracker_database_url
    try:
        report = funnel_report(url, args.since, args.until, args.zone)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except NoTrackerStore as exc:
        raise NotDone(f"{exc} ({safe_url(url)})" if url else str(exc)) from None
    if args.json:
        out.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.writelines(line + "\n" for line in _funnel_lines(report, args.lang))
    return OK


def _funnel_lines(report: FunnelReport, lang: str) -> list[str]:
    """The funnel as plain-text tables: stages by language and channel, then by day, then per question."""
    def label(key: str) -> str:
        return text(lang, f"funnel.{key}")

    period = text(lang, "funnel.period", since=report.since, until=report.until) if report.until \
        else text(lang, "funnel.period_open", since=report.since)
    lines = [f"{label('title')}, {period} ({text(lang, 'funnel.zone', zone=report.zone)})", ""]
    total = report.totals.conversations
    if not total:
        return [*lines, label("empty")]
    groups = [*((language_label(code, lang), counts) for code, counts in sorted(report.by_language.items())),
              *((channel_label(code, lang), counts) for code, counts in sorted(report.by_channel.items()))]
    rows = [(label("columns.stage"), label("columns.count"), "%", *(name for name, _ in groups))]
    for stage, count, of_each in _stage_rows(report.totals, [counts for _, counts in groups]):
        name = label(f"stages.{stage}") if stage in STAGES else "  " + text(lang, f"booking.verdicts.{stage}")
        rows.append((name, str(count), format_share(count, total, lang), *map(str, of_each)))
    lines += [*_table(rows), ""]
    rows = [(label("columns.day"), *(label(f"stages.{stage}") for stage in STAGES))]
    for day, counts in sorted(report.by_day.items()):
        rows.append((day.isoformat(), *(str(getattr(counts, stage)) for stage in STAGES)))
    lines += [*_table(rows), "", label("questions_title")]
    columns = ("asked", "answered", "skipped", "stopped")
    rows = [(label("columns.question"), *(label(f"columns.{column}") for column in columns))]
    for name, asked in report.questions.items():
        rows.append((label(f"questions.{name}"), *(str(getattr(asked, column)) for column in columns)))
    return [*lines, *_table(rows)]


def _stage_rows(totals: StageCounts, groups: list[StageCounts]) -> list[tuple[str, int, list[int]]]:
    """(stage or verdict, total, count in each group), with the verdicts given under their stage."""
    rows = []
    for stage in STAGES:
        rows.append((stage, getattr(totals, stage), [getattr(group, stage) for group in groups]))
        if stage == "verdict":
            rows += [(verdict, count, [group.verdicts.get(verdict, 0) for group in groups])
                     for verdict, count in totals.verdicts.items() if count]
    return rows


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell: the first to the left, numbers to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                      for i, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


_COMMANDS = {"list": _list, "show": _show, "export": _export, "erase": _erase, "purge": _purge,
             "backup": _backup, "restore": _restore}


def run() -> NoReturn:
    """Entry point for ``python -m leads``."""
    sys.exit(main())
