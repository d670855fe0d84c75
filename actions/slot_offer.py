"""The booking's time question: the consultancy's next free slots as buttons, then "Other times" and "None of
these", which asks for a preferred time in words as before.

Slots come from the consultancy's availability file and the appointments table (leads.availability,
leads.appointments). Each button shows the slot in the person's time zone (where they live, as the extractor
found it) with the consultancy's time beside it (i18n.formatting.format_slot). Picking one holds it at once:
the database decides when two people pick the same slot together, and the one who loses is told and offered
the next free ones. The hold becomes the booking when the person confirms the summary (leads.store.save),
and is released when the booking is cancelled. Changing a booked call later (actions/call_change.py) offers
slots the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

from actions import lead_details
from actions.ask_action import Message
from i18n.catalog import text
from i18n.formatting import format_slot
from leads.appointments import Slot, free_slots, hold, release
from leads.availability import Availability, load_availability
from project_settings import get_settings

SLOT_ENTITY = "lead_slot"
MORE = "more"  # the "Other times" button: the next page of slots
NONE = "none"  # the "None of these" button: a preferred time in words


def now() -> dt.datetime:
    """The real time: slots are offered from the moment the person asks (IMPPLUS_TODAY only moves rules)."""
    return dt.datetime.now(dt.timezone.utc)


def availability() -> Availability:
    """The consultancy's availability, as the AVAILABILITY_FILE setting names it: parsed once per version of
    the file (every slot button's label needs it), read again when the file changes."""
    path = get_settings().availability_path
    return _parsed_availability(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed_availability(path: Path, _version: int) -> Availability:
    return load_availability(path)


def person_zone(tracker: Tracker) -> str | None:
    """The person's time zone: where they live, when the place has one zone."""
    home = lead_details.home_place(tracker)
    return home.timezone if home else None


def chosen_slot(tracker: Tracker) -> str | None:
    """What a slot button sent: an ISO start time, MORE or NONE; None when the message isn't a slot button."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == SLOT_ENTITY and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _payload(value: str) -> str:
    return "/inform" + json.dumps({SLOT_ENTITY: value}, separators=(",", ":"))


def slot_label(start: dt.datetime, zone: str | None, lang: str) -> str:
    """A slot as the person reads it: their time, with the consultancy's beside it."""
    return format_slot(start, zone, availability().time_zone, lang)


async def next_slots(tracker: Tracker, after: dt.datetime | None = None) -> list[Slot]:
    """The next free slots for this conversation (its own hold counts as free), from `after` if given."""
    rules = availability()
    store = lead_details.store_for(get_settings().leads_database_url)
    return await asyncio.to_thread(free_slots, store, rules, now(), rules.slots_offered, after,
                                   exclude_holder=tracker.sender_id)


def slot_buttons(slots: list[Slot], zone: str | None, lang: str) -> list[dict[str, str]]:
    """One button per slot, then "Other times" (when there were slots) and "None of these"."""
    buttons = [{"title": slot_label(slot.starts_at, zone, lang), "payload": _payload(_iso(slot.starts_at))}
               for slot in slots]
    if slots:
        buttons.append({"title": text(lang, "booking.slots.more_button"), "payload": _payload(MORE)})
    buttons.append({"title": text(lang, "booking.slots.none_button"), "payload": _payload(NONE)})
    return buttons


async def slot_question(tracker: Tracker, lang: str, after: dt.datetime | None = None,
                        *, intro: str = "booking.slots.offer") -> list[Message]:
    """The offer of free slots; the question in words when none is free in the booking window."""
    slots = await next_slots(tracker, after)
    if not slots and after is not None:
        slots = await next_slots(tracker)  # past the last page: start again from the first free slot
    if not slots:
        return [{"text": text(lang, "booking.slots.none_free")}]
    zone = person_zone(tracker)
    return [{"text": text(lang, intro), "buttons": slot_buttons(slots, zone, lang)}]


@dataclass(frozen=True)
class SlotPick:
    """What the person's pick did: held the slot (its label for the summary), or lost it to someone else."""

    start: dt.datetime
    held: bool
    label: str


async def pick(tracker: Tracker, start: dt.datetime, lang: str) -> SlotPick:
    """Holds the slot for this conversation; False when someone else has it or it isn't a slot any more."""
    rules = availability()
    store = lead_details.store_for(get_settings().leads_database_url)
    try:
        held = await asyncio.to_thread(hold, store, tracker.sender_id, start, rules, now())
    except ValueError:
        held = False
    return SlotPick(start, held, slot_label(start, person_zone(tracker), lang))


async def next_page(tracker: Tracker) -> dict[str, Any]:
    """For "Other times": the next page follows the last slot the person was shown (the page's last)."""
    shown_after = lead_details.parse_slot_start(tracker.get_slot("lead_slot_after"))
    slots = await next_slots(tracker, shown_after)
    return {"lead_slot_after": _iso(slots[-1].starts_at) if slots else None}


async def release_hold(sender_id: str) -> None:
    """Frees the slot a cancelled or refused booking held (it would lapse by itself, later)."""
    store = lead_details.store_for(get_settings().leads_database_url)
    try:
        await asyncio.to_thread(release, store, sender_id)
    except Exception:  # noqa: BLE001 - the hold lapses anyway; the person's cancel must not fail on it
        lead_details.logger.exception("could not release a held slot")
