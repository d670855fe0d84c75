"""The verdict, explained criterion by criterion, in the person's language.

The headline says the result and, right after it, that the rules are as last checked and that whether
IMP+ still takes applications could not be confirmed. An `unconfirmed` result says what could not be
confirmed and where to confirm it. Once a result is final, only the criteria that decided it or are known
are listed (no "we need to know…" for questions that can no longer change it). Each line ends with the
numbers of its sources, listed under the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import today
from actions.program_facts import numbered_sources, page_of, source_lines
from eligibility import Assessment, Criterion, Source, assess, load_program
from i18n.catalog import text
from i18n.formatting import format_list
from launch.metrics import VERDICTS
from reading.conversation_state import language_of, profile_of, skipped_fields

FINAL_VERDICTS = frozenset({"eligible", "not_eligible", "not_yet", "unconfirmed"})


def place_in(place: str, lang: str) -> str:
    """A place as the extractor names it ("Gatineau, Québec"), with Quebec spelt the one English way."""
    return place.replace("Québec", "Quebec") if lang == "en" else place


def shown_criteria(assessment: Assessment) -> tuple[Criterion, ...]:
    """Every criterion while answers are missing; once final, those that are known (met, unmet, unsure)."""
    if assessment.verdict not in FINAL_VERDICTS:
        return assessment.criteria
    return tuple(c for c in assessment.criteria if c.status != "unknown")


def headline(assessment: Assessment, lang: str) -> str:
    """The result, then the hedge on whether IMP+ is still current."""
    def names(status: str) -> str:
        found = [text(lang, f"verdict.criterion_names.{c.id}")
                 for c in assessment.criteria if c.status == status]
        return format_list(found, lang, "and")

    result = text(lang, f"verdict.{assessment.verdict}", unsure=names("unsure"), unknown=names("unknown"))
    status = assessment.program_status
    return f"{result} {status.text.in_(lang)}" if status else result


def verdict_messages(
    assessment: Assessment, lang: str, place: str | None = None, on: dt.date | None = None
) -> list[str]:
    """The messages that explain an assessment: headline, criteria, other routes, caveats, where to
    confirm, sources, and the not-advice statement."""
    on = on or assessment.on
    criteria = shown_criteria(assessment)
    notes = (*assessment.alternatives, *assessment.caveats)
    status_sources = assessment.program_status.sources if assessment.program_status else ()
    everything = [
        *status_sources,
        *(s for c in criteria for s in c.sources),
        *(s for n in notes for s in n.sources),
    ]
    numbers = numbered_sources(everything)

    def marks(sources: Iterable[Source]) -> str:
        found = sorted({numbers[page_of(s)] for s in sources})
        return f" [{', '.join(map(str, found))}]" if found else ""

    messages = [headline(assessment, lang) + marks(status_sources)]
    title = "verdict.criteria_title" if assessment.verdict == "need_more_info" else "verdict.known_title"
    lines = [text(lang, title)]
    for criterion in criteria:
        reason = criterion.reason.in_(lang)
        if place and "residence" in criterion.fields:
            reason = f"{reason} ({place_in(place, lang)})"
        status = text(lang, f"verdict.status.{criterion.status}")
        lines.append(f"{status} — {reason}{marks(criterion.sources)}")
    messages.append("\n".join(lines))
    if assessment.alternatives:
        routes = [f"• {note.text.in_(lang)}{marks(note.sources)}" for note in assessment.alternatives]
        messages.append("\n".join([text(lang, "verdict.alternatives_title"), *routes]))
    if assessment.caveats:
        caveats = [f"• {note.text.in_(lang)}{marks(note.sources)}" for note in assessment.caveats]
        messages.append("\n".join([text(lang, "verdict.caveats_title"), *caveats]))
    if assessment.verdict == "unconfirmed":
        pages = load_program().confirm_pages
        messages.append(
            text(lang, "verdict.where_to_confirm", ircc_url=pages["ircc"].url, quebec_url=pages["quebec"].url)
        )
    messages.append("\n".join(source_lines(everything, lang, on)))
    messages.append("\n".join([text(lang, "verdict.disclaimer"), text(lang, "verdict.followup")]))
    return messages


class ActionScreeningVerdict(Action):
    """Gives the verdict once the form has nothing left to ask."""

    def name(self) -> str:
        return "action_screening_verdict"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        on = today()
        assessment = assess(profile_of(tracker), on=on, skip=skipped_fields(tracker))
        messages = verdict_messages(assessment, lang, tracker.get_slot("place"), on)
        for message in messages[:-1]:
            dispatcher.utter_message(text=message)
        # One offer of a call per verdict, as a button: never pushy.
        offer = [{"title": text(lang, "booking.offer_button"), "payload": "/human_handoff"}]
        dispatcher.utter_message(text=messages[-1], buttons=offer)
        VERDICTS.labels(assessment.verdict).inc()
        return [SlotSet("verdict", assessment.verdict), SlotSet("requested_slot", None)]
