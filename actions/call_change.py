""" "Cancel my call QP-…" / "change my call": a booked call cancelled or moved from the chat, as a Rasa form.

Nothing changes before the person has given the booking's reference and the email it was booked with, and
both match (leads.call_changes.find_booking); a wrong pair says only that they don't match, so the chat
never tells whether a reference exists. Two wrong pairs and the form gives up, naming whom to write to.
A change then offers free slots as the booking does (actions/slot_offer.py); the new slot is held when
picked and the move is done in one transaction with the notifications (leads.call_changes).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import lead_details, slot_offer
from actions.ask_action import Message, ask_actions
from actions.consent import consent_values
from actions.screening import resuming_after_interruption
from i18n.catalog import entry, text
from leads import call_changes
from leads.appointments import SlotTaken
from leads.reference import normalise_reference
from project_settings import get_settings
from reading.conversation_state import language_of, latest_intent, latest_text

CALL_FIELDS = ("call_reference", "call_email", "call_new_slot")
CALL_SLOTS = (*CALL_FIELDS, "call_request", "call_verified", "lead_slot_after")
REQUESTS = {"cancel_call": "cancel", "change_call": "change"}
# call_new_slot, the form's last answer: a slot's start (a move), CANCEL (a cancellation confirmed) or KEEP.
CANCEL = "cancel"
KEEP = "-"
MAX_TRIES = 2
_REFERENCE_CANDIDATE = re.compile(r"\b[A-Za-z]{2}[\s\-_.]?[A-Za-z0-9]{4}[\s\-_.]?[A-Za-z0-9]{4}\b")


def reference_in(message: str) -> str | None:
    """The booking reference written in a message ("cancel my call qp-7k4q-2m9x"), in its stored form."""
    for match in _REFERENCE_CANDIDATE.finditer(message):
        reference = normalise_reference(match.group(0))
        if reference:
            return reference
    return normalise_reference(message.strip())


def next_field(slots: dict[str, Any]) -> str | None:
    """The first detail still missing, in the form's order; none once the request was given up."""
    if slots.get("call_verified") is False:
        return None
    return next((name for name in CALL_FIELDS if not slots.get(name)), None)


class ValidateCallChangeForm(Action):
    """Reads the reference and the email (in any order, several in one message), checks them together, then
    reads the new slot of a change."""

    def name(self) -> str:
        return "validate_call_change_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        slots = {name: tracker.get_slot(name) for name in CALL_SLOTS}
        requested = tracker.get_slot("requested_slot")
        message = latest_text(tracker)
        updates: dict[str, Any] = {}
        failures = int(tracker.get_slot("failed_attempts") or 0)
        if requested not in CALL_FIELDS:  # the form starts: the request, and whatever the message gave
            updates["call_request"] = REQUESTS.get(latest_intent(tracker) or "", "change")
            updates.update(_details_in(message))
        elif resuming_after_interruption(tracker):
            pass  # a question was answered meanwhile: the form asks its question again
        elif requested == "call_new_slot" and switched_request(tracker, slots):
            updates["call_request"] = switched_request(tracker, slots)  # "cancel it instead", or the reverse
        elif requested == "call_new_slot" and slots.get("call_request") == "cancel":
            updates = read_cancel_confirmation(latest_intent(tracker))
            if not updates:
                dispatcher.utter_message(text=text(lang, "call_change.questions.call_new_slot.yes_or_no"))
        elif requested == "call_new_slot":
            updates = await self.read_new_slot(dispatcher, tracker, lang)
        else:
            updates = _details_in(message)
            if not updates:  # an email given when the reference was asked (or the other way) is still taken
                dispatcher.utter_message(text=text(lang, f"call_change.questions.{requested}.invalid"))
        merged = {**slots, **updates}
        if merged.get("call_reference") and merged.get("call_email") and not merged.get("call_verified"):
            booking = await asyncio.to_thread(call_changes.find_booking, _store(),
                                              merged["call_reference"], merged["call_email"])
            if booking is None:
                failures += 1
                given_up = failures >= MAX_TRIES
                key = "call_change.gave_up" if given_up else "call_change.no_match"
                dispatcher.utter_message(text=text(lang, key, **consent_values(lang)))
                updates.update(call_reference=None, call_email=None,
                               call_verified=False if given_up else None)
            else:
                failures = 0
                updates["call_verified"] = True
                key = "call_change.change_offer" if booking.slot else "call_change.change_offer_no_slot"
                label = slot_offer.slot_label(booking.slot.starts_at, booking.time_zone, lang) \
                    if booking.slot else ""
                dispatcher.utter_message(text=text(lang, key, slot=label))
        merged = {**slots, **updates}
        events: list[EventType] = [SlotSet(name, value) for name, value in updates.items()]
        return [*events, SlotSet("failed_attempts", failures), SlotSet("requested_slot", next_field(merged))]

    @staticmethod
    async def read_new_slot(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> dict[str, Any]:
        """A slot button: hold it for the move, show other times, or keep the call as it is."""
        choice = slot_offer.chosen_slot(tracker)
        if latest_intent(tracker) == "deny":
            return {"call_new_slot": KEEP}
        if choice == slot_offer.MORE:
            return await slot_offer.next_page(tracker)
        if choice == slot_offer.NONE:
            return {"call_new_slot": KEEP}
        start = lead_details.parse_slot_start(choice)
        if start is None:
            dispatcher.utter_message(text=text(lang, "call_change.questions.call_new_slot.invalid"))
            return {}
        picked = await slot_offer.pick(tracker, start, lang)
        if not picked.held:
            dispatcher.utter_message(text=text(lang, "call_change.taken"))
            return {"lead_slot_after": None}
        return {"call_new_slot": choice, "lead_slot_after": None}


def switched_request(tracker: Tracker, slots: dict[str, Any]) -> str | None:
    """The other request, when the person asks for it at the last step ("actually, cancel it")."""
    wanted = REQUESTS.get(latest_intent(tracker) or "")
    return wanted if wanted and wanted != slots.get("call_request") else None


def read_cancel_confirmation(intent: str | None) -> dict[str, Any]:
    """Yes cancels, no keeps the call; anything else asks again."""
    if intent == "affirm":
        return {"call_new_slot": CANCEL}
    if intent == "deny":
        return {"call_new_slot": KEEP}
    return {}


def _details_in(message: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    reference = reference_in(message)
    if reference:
        found["call_reference"] = reference
    email = lead_details.email(message)
    if email:
        found["call_email"] = email
    return found


def _store() -> Any:
    return lead_details.store_for(get_settings().leads_database_url)


async def call_question(detail: str, tracker: Tracker, lang: str) -> list[Message]:
    """Asks for the reference or the email; then confirms a cancellation, or offers free slots for a move
    ("None of these" keeps the call as it is), each with a way to switch to the other request."""
    if detail == "call_new_slot" and tracker.get_slot("call_request") == "cancel":
        return [{"text": text(lang, "call_change.confirm_cancel"),
                 "buttons": list(entry(lang, "call_change.confirm_cancel_buttons"))}]
    if detail == "call_new_slot":
        after = lead_details.parse_slot_start(tracker.get_slot("lead_slot_after") or "")
        offer = await slot_offer.slot_question(tracker, lang, after, intro="call_change.slots_offer")
        switch = {"title": text(lang, "call_change.cancel_instead_button"), "payload": "/cancel_call"}
        if offer and offer[-1].get("buttons"):
            offer[-1]["buttons"].append(switch)
        else:  # no free slot to move to: keeping or cancelling are the choices left
            offer.append({"text": text(lang, "call_change.no_slot_to_move_to"),
                          "buttons": [switch, {"title": text(lang, "call_change.keep_button"),
                                               "payload": "/deny"}]})
        return offer
    return [{"text": text(lang, f"call_change.questions.{detail}.ask")}]


ASK_CALL_ACTIONS = ask_actions(("call_reference", "call_email", "call_new_slot"), call_question)


class ActionChangeCall(Action):
    """Cancels or moves the verified booking, the consultancy and the person told by the delivery worker."""

    def name(self) -> str:
        return "action_change_call"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        done = [*[SlotSet(name, None) for name in CALL_SLOTS], SlotSet("failed_attempts", 0)]
        if not tracker.get_slot("call_verified"):
            return done
        reference = tracker.get_slot("call_reference")
        new_slot = tracker.get_slot("call_new_slot")
        values = {"reference": reference, **consent_values(lang)}
        try:
            if tracker.get_slot("call_request") == "cancel" and new_slot == CANCEL:
                before = await asyncio.to_thread(call_changes.cancel_call, _store(), reference,
                                                 get_settings(), slot_offer.now())
                if before.slot:
                    slot = slot_offer.slot_label(before.slot.starts_at, before.time_zone, lang)
                    dispatcher.utter_message(text=text(lang, "call_change.cancelled", slot=slot, **values))
                else:
                    dispatcher.utter_message(text=text(lang, "call_change.cancelled_no_slot", **values))
            elif tracker.get_slot("call_request") == "change" and new_slot not in (None, KEEP, CANCEL):
                start = lead_details.parse_slot_start(new_slot)
                before = await asyncio.to_thread(call_changes.move_call, _store(), reference,
                                                 tracker.sender_id, start, slot_offer.availability(),
                                                 get_settings(), slot_offer.now())
                slot = slot_offer.slot_label(start, before.time_zone, lang)
                if before.slot:
                    old_slot = slot_offer.slot_label(before.slot.starts_at, before.time_zone, lang)
                    moved = text(lang, "call_change.moved", slot=slot, old_slot=old_slot, **values)
                    dispatcher.utter_message(text=moved)
                else:
                    dispatcher.utter_message(text=text(lang, "call_change.booked", slot=slot, **values))
            else:
                dispatcher.utter_message(text=text(lang, "call_change.kept", **values))
        except SlotTaken:
            dispatcher.utter_message(text=text(lang, "call_change.taken"))
        except Exception:  # noqa: BLE001 - the person gets a clear answer; the traceback goes to the log
            lead_details.logger.exception("could not change a booked call")
            dispatcher.utter_message(text=text(lang, "call_change.failed"))
        await slot_offer.release_hold(tracker.sender_id)
        return done


async def stop_call_change(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Stop" while changing a call: nothing changes, and a slot held for the move is released."""
    await slot_offer.release_hold(tracker.sender_id)
    dispatcher.utter_message(text=text(language_of(tracker), "call_change.stopped"))
    return [*[SlotSet(name, None) for name in CALL_SLOTS], SlotSet("requested_slot", None),
            SlotSet("failed_attempts", 0)]
