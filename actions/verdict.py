"""The verdict, explained criterion by criterion, in the person's language."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import today
from actions.conversation_state import language_of, profile_of, skipped_fields
from actions.program_facts import format_date
from actions.texts import text
from eligibility import Assessment, assess


def verdict_messages(assessment: Assessment, lang: str, place: str | None = None) -> list[str]:
    """The messages that explain an assessment: headline, criteria, other routes, caveats, sources."""
    messages = [text(lang, f"verdict.{assessment.verdict}")]
    lines = [text(lang, "verdict.criteria_title")]
    for criterion in assessment.criteria:
        reason = criterion.reason.in_(lang)
        if place and "residence" in criterion.fields:
            reason = f"{reason} ({place})"
        lines.append(f"{text(lang, f'verdict.status.{criterion.status}')} — {reason}")
    messages.append("\n".join(lines))
    if assessment.alternatives:
        notes = [f"• {note.text.in_(lang)} {note.reference.url}" for note in assessment.alternatives]
        messages.append("\n".join([text(lang, "verdict.alternatives_title"), *notes]))
    if assessment.caveats:
        notes = [f"• {note.text.in_(lang)}" for note in assessment.caveats]
        messages.append("\n".join([text(lang, "verdict.caveats_title"), *notes]))
    messages.append(
        "\n".join(
            [
                text(
                    lang,
                    "verdict.checked",
                    date=format_date(assessment.last_checked, lang),
                    url=assessment.source.url,
                ),
                text(lang, "verdict.disclaimer"),
                text(lang, "verdict.followup"),
            ]
        )
    )
    return messages


class ActionScreeningVerdict(Action):
    """Gives the verdict once the form has nothing left to ask."""

    def name(self) -> str:
        return "action_screening_verdict"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        assessment = assess(profile_of(tracker), on=today(), skip=skipped_fields(tracker))
        messages = verdict_messages(assessment, lang, tracker.get_slot("place"))
        for message in messages[:-1]:
            dispatcher.utter_message(text=message)
        # One offer of a call per verdict, as a button: never pushy.
        offer = [{"title": text(lang, "booking.offer_button"), "payload": "/human_handoff"}]
        dispatcher.utter_message(text=messages[-1], buttons=offer)
        return [SlotSet("verdict", assessment.verdict), SlotSet("requested_slot", None)]
