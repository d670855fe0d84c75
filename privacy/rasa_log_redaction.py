"""No conversation content in Rasa's own structured log records, at any log level.

Rasa 3.6 logs what people typed and the slots they filled through structlog, as one JSON object per record:
at DEBUG ``processor.message.parse`` (``parse_data_text``: the message), ``processor.slots.log``
(``slot_values``: the booking's name, email, phone...), ``processor.actions.log`` (``rasa_events``),
``rule_policy.actions.find`` (``current_states``, with the user's text), ``forms.slots.validate``
(``slot_candidates``); at ERROR ``rest.message.received.failure`` (``text``). Rasa itself lists these
fields as "anonymizable" (rasa/utils/log_utils.py) but only anonymizes them with Rasa Pro. Masking emails
and phone numbers (log_masking.py) cannot catch a name or a free-text answer, so the values of these fields
are replaced as a whole. Rasa renders JSON unless stderr is a terminal; launch.rasa_server makes it JSON
always (FORCE_JSON_LOGGING), so this applies to ``make run`` in a terminal too.
"""

from __future__ import annotations

import json
import logging

REDACTED = "[redacted]"
# rasa.utils.log_utils._anonymizer's list (Rasa 3.6.21): the fields that carry conversation content.
CONVERSATION_FIELDS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
})


def redact_rasa_record(record: logging.LogRecord) -> None:
    """Replace the conversation fields of a Rasa structlog record (a JSON object) in place."""
    if not record.name.startswith("rasa.") or not isinstance(record.msg, str) or record.args:
        return
    if not record.msg.startswith("{") or not any(f'"{key}"' in record.msg for key in CONVERSATION_FIELDS):
        return
    try:
        fields = json.loads(record.msg)
    except ValueError:
        return
    if not isinstance(fields, dict):
        return
    redacted = {key: REDACTED if key in CONVERSATION_FIELDS and value is not None else value
                for key, value in fields.items()}
    record.msg = json.dumps(redacted)
