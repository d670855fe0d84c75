"""What reaches Rasa from a person's text: clean, bounded, and only our own commands."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.message_guard import MAX_MESSAGE_CHARS, domain_names, guard_text, screen_command


def test_nul_and_control_characters_are_removed_but_lines_kept() -> None:
    assert guard_text("I live\x00 in\x07 Lyon\nand\tyes").text == "I live in  Lyon\nand\tyes"


def test_invisible_direction_overrides_go_but_emoji_joiners_stay() -> None:
    assert guard_text("\u202eLyon\u200b\ufeff").text == "Lyon"
    family = "👨\u200d👩\u200d👧"
    assert guard_text(family).text == family


def test_lone_surrogates_become_replacement_characters() -> None:
    assert guard_text("caf\ud800é").text == "caf\ufffdé"


def test_long_messages_are_cut_at_a_word_and_say_so() -> None:
    guarded = guard_text("word " * 4000)
    assert guarded.truncated_from == len(("word " * 4000).strip())
    assert len(guarded.text) <= MAX_MESSAGE_CHARS and guarded.text.endswith("word")
    assert guard_text("short").truncated_from is None


def test_only_commands_our_buttons_send_pass() -> None:
    assert screen_command('/inform{"residence": "quebec"}') == '/inform{"residence": "quebec"}'
    assert screen_command("/affirm") == "/affirm"
    assert screen_command("/restart") == "restart"  # Rasa's built-in, not in our domain
    assert screen_command('/inform{"password": "x"}') == 'inform{"password": "x"}'  # undeclared entity
    assert screen_command('/inform{"residence": ["a"]}').startswith("inform")  # not a scalar
    assert screen_command('/inform{"residence": "' + "x" * 100 + '"}').startswith("inform")
    assert screen_command("//affirm{not json}") == "affirm{not json}"


def test_non_text_is_empty() -> None:
    assert guard_text(None).text == "" and guard_text(42).text == "" and guard_text({"a": 1}).text == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=3000) | st.binary(max_size=500).map(
    lambda raw: raw.decode("utf-8", errors="surrogateescape")))
def test_anything_comes_out_storable_and_bounded(raw: str) -> None:
    text = guard_text(raw).text
    assert len(text) <= MAX_MESSAGE_CHARS
    text.encode("utf-8")  # no lone surrogates: PostgreSQL and JSON can store it
    assert "\x00" not in text
    assert all(unicodedata.category(char) != "Cc" or char in "\n\t" for char in text)
    assert text == text.strip()


@given(st.sampled_from(sorted(domain_names()[0])), st.dictionaries(
    st.sampled_from(sorted(domain_names()[1])), st.text(max_size=80) | st.booleans(), max_size=3))
def test_a_command_passes_only_when_every_value_is_short_and_declared(intent: str, entities: dict) -> None:
    command = f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"
    passed = screen_command(command) == command
    short = all(not isinstance(v, str) or (len(v) <= 64 and "\n" not in v) for v in entities.values())
    assert passed == short
