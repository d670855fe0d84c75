""" "Book a call": a consented lead for the consultancy, collected as a Rasa form.

Consent comes first: the consent question says who collects the details, why, who receives them, where
and how long they are kept and how to see, correct or erase them (actions/consent.py), and no personal
detail is asked before a yes. Each answer is then read from the message text for the detail that was
asked; an email or a phone number written at any point ("my email is actually …") corrects the summary.
Nothing is stored until the person has confirmed the summary. A refusal, "stop" or a cancel removes
what was typed for the booking from the stored conversation too (privacy.tracker_redaction).

The website widget is told when a booking starts and ends (a custom `{"booking": ...}` message), so it
keeps no contact detail in the browser's storage.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import lead_details, slot_offer
from actions.answers import QUESTION_INTENTS
from actions.ask_action import Message, ask_actions
from actions.clock import today
from actions.consent import consent_values
from actions.screening import resuming_after_interruption
from i18n.catalog import entry, text
from launch.metrics import BOOKINGS
from privacy.tracker_redaction import redact_since
from project_settings import get_settings
from reading.conversation_state import (
    BOOKING_FORM,
    in_booking,
    language_of,
    latest_intent,
    latest_text,
    profile_of,
    skipped_fields,
)

# Consent first (Law 25): the form asks these in this order (domain.yml lists them the same way).
LEAD_FIELDS = (
    "lead_consent",
    "lead_name",
    "lead_email",
    "lead_phone",
    "lead_time",
    "lead_language",
    "lead_confirmed",
)
# Custom messages for the website widget: it stores nothing typed between these two.
BOOKING_STARTED = {"data": {"booking": "started"}}
BOOKING_ENDED = {"data": {"booking": "ended"}}
# The slot picked (its UTC start) and the offer's state: the page of slots shown, or times in words instead.
SLOT_CHOICE_SLOTS = ("lead_slot", "lead_slot_after", "lead_time_free")
LEAD_SLOTS = (*LEAD_FIELDS, "lead_time_zone", "lead_reference", *SLOT_CHOICE_SLOTS)
# Replies that leave the booking to the interruption rules (then the form asks again).
INTERRUPTIONS = frozenset(
    {"why_ask", "switch_language", "stop", "greet", "thanks", "goodbye", "bot_challenge", "out_of_scope"}
)
# Two unusable answers to the optional phone question and it is left out.
PHONE_TRIES = 2
SKIP_WORDS = frozenset({"skip", "passer", "no", "non", "none", "aucun", "pas de téléphone", "no phone"})


def next_detail(slots: dict[str, Any]) -> str | None:
    """The first detail still missing, in the form's order."""
    return next((name for name in LEAD_FIELDS if slots.get(name) is None), None)


class ValidateBookingForm(Action):
    """Reads the answer to the detail asked, and any email or phone correction, then asks the next one."""

    def name(self) -> str:
        return "validate_booking_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        slots = {name: tracker.get_slot(name) for name in LEAD_SLOTS}
        requested = tracker.get_slot("requested_slot") if in_booking(tracker) else None
        message = latest_text(tracker).strip()
        intent = latest_intent(tracker)
        updates: dict[str, Any] = {}
        failures = int(tracker.get_slot("failed_attempts") or 0)
        if requested not in LEAD_FIELDS:
            # The form's first validation (Rasa runs it as the form activates): the booking starts.
            dispatcher.utter_message(json_message=BOOKING_STARTED)
        elif requested == "lead_time" and slot_offer.chosen_slot(tracker):
            updates = await self.read_slot_choice(dispatcher, tracker, lang)
        elif not resuming_after_interruption(tracker):
            updates = self.read_answer(requested, message, intent, tracker)
            if requested != "lead_consent":  # no detail is read before consent
                updates = {**updates, **corrections(message, requested, tracker)}
            if not updates and (intent in INTERRUPTIONS or intent in QUESTION_INTENTS):
                return []  # not an answer: the interruption rules take it, then the form asks again
            if requested in updates:
                failures = 0
            else:
                failures += 1
                if requested == "lead_phone" and failures >= PHONE_TRIES:
                    updates["lead_phone"], failures = "", 0
                else:
                    dispatcher.utter_message(text=text(lang, f"booking.questions.{requested}.invalid"))
        if updates.get("lead_consent") is False:
            await forget_booking(tracker)
            await slot_offer.release_hold(tracker.sender_id)
            dispatcher.utter_message(text=text(lang, "booking.no_consent", **consent_values(lang)))
            dispatcher.utter_message(json_message=BOOKING_ENDED)
            return [
                *[SlotSet(name, None) for name in LEAD_SLOTS],
                SlotSet("failed_attempts", 0),
                SlotSet("requested_slot", None),
            ]
        if updates.get("lead_confirmed") is False:
            dispatcher.utter_message(text=text(lang, "booking.change"))
            updates["lead_confirmed"] = None
        elif requested == "lead_confirmed" and set(updates) - {"lead_confirmed"}:
            updates["lead_confirmed"] = None  # a correction instead of a yes: show the summary again
        merged = {**slots, **updates}
        events: list[EventType] = [SlotSet(name, value) for name, value in updates.items()]
        return [*events, SlotSet("failed_attempts", failures), SlotSet("requested_slot", next_detail(merged))]

    @staticmethod
    async def read_slot_choice(dispatcher: CollectingDispatcher, tracker: Tracker,
                               lang: str) -> dict[str, Any]:
        """A slot button: hold the slot picked, or show other times, or ask for a time in words. A slot
        someone else took a moment ago is said so, and the next free ones are offered."""
        choice = slot_offer.chosen_slot(tracker) or ""
        if choice == slot_offer.MORE:
            return await slot_offer.next_page(tracker)
        if choice == slot_offer.NONE:
            return {"lead_time_free": True}
        start = lead_details.parse_slot_start(choice)
        picked = await slot_offer.pick(tracker, start, lang) if start else None
        if picked is None or not picked.held:
            dispatcher.utter_message(text=text(lang, "booking.slots.taken"))
            return {"lead_slot_after": None}
        zone = slot_offer.person_zone(tracker) or slot_offer.availability().time_zone
        return {"lead_time": picked.label, "lead_time_zone": zone,
                "lead_slot": choice, "lead_slot_after": None}

    @staticmethod
    def read_answer(requested: str, message: str, intent: str | None, tracker: Tracker) -> dict[str, Any]:
        """The value of the detail asked, read from the message, or nothing when it can't be used."""
        if "?" in message and requested in ("lead_name", "lead_time"):
            return {}
        if requested == "lead_name":
            name = lead_details.full_name(message)
            return {"lead_name": name} if name else {}
        if requested == "lead_email":
            email = lead_details.email(message)
            return {"lead_email": email} if email else {}
        if requested == "lead_phone":
            if intent == "deny" or message.lower().strip(" .!") in SKIP_WORDS:
                return {"lead_phone": ""}
            home = lead_details.home_place(tracker)
            phone = lead_details.phone(message, tracker.get_slot("residence"), home)
            return {"lead_phone": phone} if phone else {}
        if requested == "lead_time":
            # A message that says when ("weekday mornings, Paris time") answers the question, whatever
            # intent the classifier guessed; anything else that reads as a question or a command is left
            # to the interruption rules.
            said_when = lead_details.looks_like_time(message)
            leave = intent in QUESTION_INTENTS or intent in INTERRUPTIONS
            command = intent in ("stop", "why_ask", "switch_language")
            if len(message) < 2 or command or (leave and not said_when):
                return {}
            zone = lead_details.time_zone(message, lead_details.home_place(tracker))
            return {"lead_time": message[:200], "lead_time_zone": zone}
        if requested == "lead_language":
            chosen = lead_details.language_choice(message, tracker)
            return {"lead_language": chosen} if chosen else {}
        if requested in ("lead_consent", "lead_confirmed") and intent in ("affirm", "deny"):
            return {requested: intent == "affirm"}
        return {}


def corrections(message: str, requested: str, tracker: Tracker) -> dict[str, Any]:
    """An email or phone number written while another detail was asked: several details in one message
    ("Marie Tremblay, marie@example.com"), or a correction ("my email is actually …")."""
    found: dict[str, Any] = {}
    if requested != "lead_email":
        email = lead_details.email(message)
        if email:
            found["lead_email"] = email
    if requested != "lead_phone" and requested != "lead_time":
        phone = lead_details.phone(message, tracker.get_slot("residence"), lead_details.home_place(tracker))
        if phone:
            found["lead_phone"] = phone
    return found


async def detail_question(detail: str, tracker: Tracker, lang: str) -> list[Message]:
    """Asks for one booking detail; the time is first offered as free slots; the last question shows the
    summary first."""
    messages: list[Message] = []
    if detail == "lead_time" and not tracker.get_slot("lead_time_free"):
        after = lead_details.parse_slot_start(tracker.get_slot("lead_slot_after") or "")
        offer = await slot_offer.slot_question(tracker, lang, after)
        if any(message.get("buttons") for message in offer):
            return offer
        messages.extend(offer)  # no free slot: said so, then the question in words
    if detail == "lead_confirmed":
        messages.append({"text": summary(tracker, lang)})
    question = text(lang, f"booking.questions.{detail}.ask", **consent_values(lang))
    return [*messages, {"text": question, "buttons": detail_buttons(lang, detail)}]


def detail_buttons(lang: str, detail: str) -> list[dict[str, str]]:
    if detail == "lead_language":
        return list(entry(lang, "booking.language_buttons"))
    if detail in ("lead_consent", "lead_confirmed"):
        return list(entry(lang, "booking.yes_no_buttons"))
    if detail == "lead_phone":
        return [{"title": text(lang, "booking.questions.lead_phone.skip_button"), "payload": "/deny"}]
    return []


def summary(tracker: Tracker, lang: str) -> str:
    """The details about to be sent, for the person to check."""

    def line(key: str, value: Any) -> str:
        return text(lang, f"booking.summary.{key}", value=value)

    lines = [
        text(lang, "booking.summary_title"),
        line("name", tracker.get_slot("lead_name")),
        line("email", tracker.get_slot("lead_email")),
    ]
    phone = tracker.get_slot("lead_phone")
    lines.append(line("phone", phone) if phone else text(lang, "booking.summary.no_phone"))
    lines.append(line("slot" if tracker.get_slot("lead_slot") else "time", tracker.get_slot("lead_time")))
    if tracker.get_slot("lead_time_zone"):
        lines.append(line("time_zone", tracker.get_slot("lead_time_zone")))
    lines.append(line("language", text(lang, f"booking.language_names.{tracker.get_slot('lead_language')}")))
    verdict = tracker.get_slot("verdict") or "none"
    lines.append(line("verdict", text(lang, f"booking.verdicts.{verdict}")))
    return "\n".join(lines)


ASK_DETAIL_ACTIONS = ask_actions(LEAD_FIELDS, detail_question)


class ActionSubmitBooking(Action):
    """Saves the confirmed, consented lead with the screening summary and gives the reference."""

    def name(self) -> str:
        return "action_submit_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        if not (tracker.get_slot("lead_consent") and tracker.get_slot("lead_confirmed")):
            return [SlotSet(name, None) for name in LEAD_SLOTS]
        consent = text(lang, "booking.consent_text", **consent_values(lang))
        screening = lead_details.screening_summary(profile_of(tracker), today(), skipped_fields(tracker))
        try:
            details = {name: tracker.get_slot(name) for name in LEAD_SLOTS}
            saved = await asyncio.to_thread(
                lead_details.save, details, consent, lang, tracker.sender_id, screening,
                lead_details.confirmation_id(tracker),
            )
        except Exception:  # noqa: BLE001 - the person gets a clear answer; the traceback goes to the log
            lead_details.logger.exception("could not save a lead")
            await slot_offer.release_hold(tracker.sender_id)
            dispatcher.utter_message(text=text(lang, "booking.save_failed"))
            BOOKINGS.labels("failed").inc()
            dispatcher.utter_message(json_message=BOOKING_ENDED)
            return [SlotSet(name, None) for name in LEAD_SLOTS]
        reference = saved.reference
        BOOKINGS.labels("saved").inc()
        dispatcher.utter_message(text=saved_message(lang, saved, details))
        dispatcher.utter_message(json_message=BOOKING_ENDED)
        return [*[SlotSet(name, None) for name in LEAD_SLOTS], SlotSet("lead_reference", reference)]


def saved_message(lang: str, saved: lead_details.SavedBooking, details: dict[str, Any]) -> str:
    """The reference, the call's time when a slot was booked (or that it was taken meanwhile), and the
    confirmation email when email is set up."""
    values = {"reference": saved.reference, "slot": details.get("lead_time"), **consent_values(lang)}
    key = "booking.saved"
    if details.get("lead_slot"):
        key = "booking.saved_with_slot" if saved.slot_booked else "booking.saved_slot_taken"
    parts = [text(lang, key, **values)]
    if get_settings().smtp_host:
        parts.append(text(lang, "booking.confirmation_email", email=details.get("lead_email")))
    return " ".join(parts)


def booking_started_at(tracker: Tracker) -> float | None:
    """When the booking under way began: the time of the message that started it."""
    events = tracker.events
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if event.get("event") == "active_loop" and event.get("name") == BOOKING_FORM:
            for earlier in reversed(events[:i]):
                if earlier.get("event") == "user":
                    return float(earlier["timestamp"])
            return float(event["timestamp"])
    return None


async def forget_booking(tracker: Tracker) -> bool:
    """Remove from the stored conversation what was typed for the booking under way, and the details it
    set. False when that could not be done (no SQL tracker store, or the database failed)."""
    since = booking_started_at(tracker)
    if since is None:
        return True
    try:
        changed = await asyncio.to_thread(
            redact_since, get_settings().tracker_database_url, tracker.sender_id, since, LEAD_SLOTS
        )
    except Exception:  # noqa: BLE001 - the person is told; the traceback goes to the log
        lead_details.logger.exception("could not remove a cancelled booking's details from the conversation")
        return False
    return changed is not None


async def cancel_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Stop" during the booking: nothing is sent, and the details given are removed."""
    lang = language_of(tracker)
    key = "booking.cancelled" if await forget_booking(tracker) else "booking.cancelled_kept"
    await slot_offer.release_hold(tracker.sender_id)
    dispatcher.utter_message(text=text(lang, key, **consent_values(lang)))
    dispatcher.utter_message(json_message=BOOKING_ENDED)
    return [
        ActiveLoop(None),
        *[SlotSet(name, None) for name in LEAD_SLOTS],
        SlotSet("requested_slot", None),
        SlotSet("failed_attempts", 0),
    ]
