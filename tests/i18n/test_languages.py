"""Language detection: clear messages decide, short ones keep the current language; one request parser
and one order for the conversation's language."""

from __future__ import annotations

import pytest

from i18n.languages import (
    DEFAULT_LANGUAGE,
    SUPPORTED,
    conversation_language,
    detect_language,
    named_language,
    requested_language,
    supported,
    turn_language,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("What is IMP+?", "en"),
        ("Can you check whether I qualify?", "en"),
        ("Qu'est-ce que le PMI+?", "fr"),
        ("Je voudrais savoir si je suis admissible au PMI+", "fr"),
        ("c'est quoi le cap pour IMP+", "fr"),
        ("chu à Mtl pis j'ai mon CSQ", "fr"),
        ("Bonjour", "fr"),
        ("hello", "en"),
    ],
)
def test_first_message_sets_the_language(text: str, expected: str) -> None:
    assert detect_language(text, None) == expected


@pytest.mark.parametrize(
    "text, current",
    [("ok", "fr"), ("oui", "en"), ("3", "fr"), ("Lyon", "en"), ("CSQ", "fr"), ("yes", "fr"), ("merci", "en")],
)
def test_short_messages_do_not_flip_the_language(text: str, current: str) -> None:
    assert detect_language(text, current) is None


def test_a_clear_message_in_the_other_language_switches() -> None:
    assert detect_language("Est-ce que vous pouvez m'expliquer les frais?", "en") == "fr"
    assert detect_language("Sorry, can you tell me how long the permit is valid?", "fr") == "en"


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("in English please", "fr", "en"),
        ("en français svp", "en", "fr"),
        ("can you speak French?", "en", "fr"),
        ("je préfère en anglais", "fr", "en"),
        ("switch language", "en", "fr"),
    ],
)
def test_explicit_requests(text: str, current: str, expected: str) -> None:
    assert requested_language(text, current) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("English", "en"),
        ("Français", "fr"),
        ("francais svp", "fr"),
        ("in French please", "fr"),
        ("en français", "fr"),  # "en" is the French "in": a named language outweighs a bare code
        ("en anglais svp", "en"),
        ("fr", "fr"),
        ("en", "en"),
        ("English or French, either", None),
        ("fr or en", None),
        ("mornings", None),
    ],
)
def test_one_parser_reads_the_language_a_message_names(text: str, expected: str | None) -> None:
    assert named_language(text) == expected


def test_a_request_that_names_no_language_asks_for_the_other_one() -> None:
    assert requested_language("switch language", "fr") == "en"
    assert requested_language("change language", None) == "fr"
    assert requested_language("en français svp", "fr") == "fr"


def test_supported_codes() -> None:
    assert SUPPORTED == ("en", "fr") and DEFAULT_LANGUAGE in SUPPORTED
    assert [supported(code) for code in ("fr", "fr-CA", "EN", "de", "", None, 3)] == [
        "fr", "fr", "en", None, None, None, None,
    ]


def test_the_turn_language_follows_one_order() -> None:
    """Request, then a clear message, then the conversation's language, then the channel's."""
    english = "Sorry, can you tell me how long the permit is valid?"
    assert turn_language(english, "fr", requested="fr", channel="en") == "fr"
    assert turn_language(english, "fr", channel="fr") == "en"
    assert turn_language("ok", "fr", channel="en") == "fr"
    assert turn_language("ok", None, channel="fr") == "fr"
    assert turn_language("Bonjour", None, channel="en") == "fr"
    assert turn_language("ok", None) is None  # nothing tells: nothing is stored, the default answers


def test_the_conversation_language_is_the_stored_one_else_the_turn_s_else_the_default() -> None:
    assert conversation_language("fr", "Sorry, can you tell me how long the permit is valid?") == "fr"
    assert conversation_language(None, "Bonjour, est-ce que je suis admissible?") == "fr"
    assert conversation_language("xx", "ok", channel="fr-CA") == "fr"
    assert conversation_language(None, "ok") == DEFAULT_LANGUAGE
    assert conversation_language(None) == DEFAULT_LANGUAGE
