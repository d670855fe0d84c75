"""What each page shows, built from the leads database and the tracker store: plain dictionaries for the
templates, every text already in the desk's language (so templates only lay things out)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from eligibility import load_program
from eligibility.wording import load_texts
from i18n.catalog import catalog, text
from i18n.formatting import format_date, format_number
from i18n.languages import SUPPORTED
from leads.follow_ups import FollowUp
from leads.records import Lead
from leads.transcript import TranscriptLine

from .moments import city, moment, slot

_INFORM = "/inform"  # a question button's payload: /inform{"field": value}


@dataclass(frozen=True)
class Zones:
    """The consultancy's zone, where the desk shows every time."""

    consultancy: str


def label(lang: str, group: str, value: str | None) -> str:
    """A value's wording in the desk catalog (``desk.<group>.<value>``), the value itself if none."""
    if not value:
        return "–"
    words = catalog(lang)["desk"].get(group, {})
    return str(words.get(value, value))


def lead_row(lead: Lead, follow_up: FollowUp, channel: str | None, zones: Zones, lang: str) -> dict[str, Any]:
    """One line of the leads table."""
    return {
        "reference": lead.reference,
        "received": moment(lead.created_at, zones.consultancy, lang),
        "name": lead.full_name,
        "status": follow_up.status,
        "status_label": label(lang, "status", follow_up.status),
        "slot": slot(lead.slot_starts_at, lead.time_zone, zones.consultancy, lang) if lead.slot_starts_at
        else text(lang, "desk.leads.no_slot"),
        "language": label(lang, "language", lead.language),
        "channel": label(lang, "channel", channel),
        "verdict": lead.verdict or "",
        "verdict_label": label(lang, "verdict", lead.verdict),
    }


def criteria(screening: Mapping[str, Any], lang: str, lead_lang: str) -> list[dict[str, Any]]:
    """The screening's criteria, each reason in the desk's language (else the lead's, else as stored)."""
    rows = []
    names = catalog(lang)["verdict"]["criterion_names"]  # the names the verdict and the emails use
    for criterion in screening.get("criteria") or []:
        reason = criterion.get("reason")
        if isinstance(reason, Mapping):
            reason = reason.get(lang) or reason.get(lead_lang) or next(iter(reason.values()), "")
        rows.append({
            "id": str(criterion.get("id") or ""),
            "name": str(names.get(criterion.get("id"), criterion.get("id") or "")),
            "kind": label(lang, "kind", criterion.get("kind")),
            "status": str(criterion.get("status") or ""),
            "status_label": label(lang, "criterion_status", criterion.get("status")),
            "reason": str(reason or ""),
            "source": str(criterion.get("source") or ""),
        })
    return rows


def profile_rows(profile: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """What the person told the screening, each field named as the funnel's catalog names its question,
    yes/no in words; other values as the engine codes them."""
    questions = catalog(lang).get("funnel", {}).get("questions", {})
    answers = answer_titles(lang)
    rows = []
    for field, value in profile.items():
        if isinstance(value, bool):
            shown = text(lang, f"desk.answer.{str(value).lower()}")
        else:
            shown = answers.get((field, json.dumps(value)), str(value))
        rows.append((str(questions.get(field, field)), shown))
    return rows


@cache
def answer_titles(lang: str) -> dict[tuple[str, str], str]:
    """(field, JSON value) -> the button title the person tapped for it ("abroad" -> "Outside Canada"),
    from the engine's question buttons (eligibility/data/texts.yaml), so an answer reads as it was given."""
    titles: dict[tuple[str, str], str] = {}
    for question in load_texts(load_program()).questions.values():
        for button in question.buttons.get(lang, ()):
            if button.payload.startswith(_INFORM):
                try:
                    given = json.loads(button.payload[len(_INFORM):])
                except ValueError:
                    continue
                for field, value in given.items():
                    titles[(field, json.dumps(value))] = button.title
    return titles


def transcript_rows(lines: list[TranscriptLine], zones: Zones, lang: str) -> list[dict[str, Any]]:
    """The conversation, each line with its speaker's wording and time."""
    return [{"who": line.who, "who_label": label(lang, "speaker", line.who), "text": line.text,
             "at": moment(line.at, zones.consultancy, lang) if line.at else "", "buttons": list(line.buttons)}
            for line in lines]


def lead_details(lead: Lead, channel: str | None, zones: Zones, lang: str) -> list[tuple[str, str]]:
    """The contact and booking facts, label then value."""
    def say(key: str) -> str:
        return text(lang, f"desk.lead.{key}")

    phone = f"{lead.phone} ({lead.phone_typed})" if lead.phone and lead.phone_typed and \
        lead.phone_typed != lead.phone else (lead.phone or "–")
    person_zone = f"{lead.time_zone} ({city(lead.time_zone)})" if lead.time_zone else say("zone_unknown")
    return [
        (say("received"), moment(lead.created_at, zones.consultancy, lang)),
        (say("email"), lead.email),
        (say("phone"), phone),
        (say("slot"), slot(lead.slot_starts_at, lead.time_zone, zones.consultancy, lang)
         if lead.slot_starts_at else text(lang, "desk.leads.no_slot")),
        (say("preferred_time"), lead.preferred_time or "–"),
        (say("time_zone"), person_zone),
        (say("language"), label(lang, "language", lead.language)),
        (say("channel"), label(lang, "channel", channel)),
        (say("consent"), f"{moment(lead.consent_at, zones.consultancy, lang)} — {lead.consent_text}"),
    ]


def funnel_tables(report: Mapping[str, Any], stages: Sequence[str], lang: str) -> list[dict[str, Any]]:
    """The funnel report (leads.funnel's ``to_dict``) as tables worded by the funnel's own catalog: the
    stages by day, by language and by channel, then the screening questions."""
    def say(key: str) -> str:
        return text(lang, f"funnel.{key}")

    stage_names = [say(f"stages.{stage}") for stage in stages]
    def language_name(code: str) -> str:
        return label(lang, "language", code) if code in SUPPORTED else say("unknown_language")

    groups = [("by_day", say("columns.day"), lambda day: format_date(date.fromisoformat(day), lang)),
              ("by_language", say("columns.language"), language_name),
              ("by_channel", say("columns.channel"), lambda code: say(f"channels.{code}"))]
    tables = []
    for key, heading, name in groups:
        rows = [[name(group), *(format_number(counts[stage], lang) for stage in stages)]
                for group, counts in (report.get(key) or {}).items()]
        tables.append({"heading": heading, "columns": [heading, *stage_names], "rows": rows})
    counts = ("asked", "answered", "skipped", "stopped")
    tables.append({
        "heading": say("questions_title"),
        "columns": [say("columns.question"), *(say(f"columns.{column}") for column in counts)],
        "rows": [[say(f"questions.{q['field']}"), *(format_number(q[column], lang) for column in counts)]
                 for q in report.get("questions") or [] if q.get("asked")],
    })
    return [table for table in tables if table["rows"]]
