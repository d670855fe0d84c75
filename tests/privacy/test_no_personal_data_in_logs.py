"""No personal data in the servers' logs: a whole booking (name, email, phone) over REST, on the Rasa
server at its default log level and on one at LOG_LEVEL=DEBUG, where Rasa logs every message and slot."""

from __future__ import annotations

from tests.privacy.booking_person import Person, book_a_call, rasa_log_name, server_logs
from tests.security.shared_servers import SecurityServers

AT_DEFAULT_LEVEL = Person("Zéphyrine Quarterfield", "zephyrine.quarterfield@example.net", "+1 514 555 0199")
AT_DEBUG_LEVEL = Person("Ignatius Wolfenbarger", "ignatius.wolfenbarger@example.org", "+33 6 12 77 88 91")


def leaks(logs: dict[str, str], person: Person) -> dict[str, list[str]]:
    return {name: found for name, text in logs.items() if (found := person.found_in(text))}


def test_default_log_level_keeps_the_booking_out_of_the_logs(servers: SecurityServers) -> None:
    book_a_call(servers.assistant, servers.default_url, AT_DEFAULT_LEVEL)
    logs = server_logs(servers.assistant)
    assert {"actions.log", "rasa.log"} <= set(logs)
    assert leaks(logs, AT_DEFAULT_LEVEL) == {}


def test_debug_log_level_keeps_the_booking_out_of_the_logs(servers: SecurityServers) -> None:
    book_a_call(servers.assistant, servers.configured_url, AT_DEBUG_LEVEL)
    logs = server_logs(servers.assistant)
    debug_log = logs[rasa_log_name(servers.assistant, servers.configured_url)]
    # The check means something only if Rasa did log the messages and slots (redacted).
    assert '"event": "processor.slots.log"' in debug_log and '"event": "processor.message.parse"' in debug_log
    assert leaks(logs, AT_DEBUG_LEVEL) == {}


def test_the_check_finds_a_person_in_any_form() -> None:
    """The detector itself: what it must catch, and masked details it must not flag."""
    person = AT_DEFAULT_LEVEL
    assert person.found_in('"parse_data_text": "Z\\u00e9phyrine Quarterfield"') == ["name"]
    assert person.found_in("lead_email: ZEPHYRINE.QUARTERFIELD@example.net") == ["name", "email"]
    assert person.found_in("phone 514-555-0199") == ["phone"] and person.found_in("+15145550199") == ["phone"]
    assert person.found_in("lead_email: z***@e***.net, lead_phone: +***99, [redacted]") == []
