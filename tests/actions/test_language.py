"""Language detection: clear messages decide, short ones keep the current language."""

from __future__ import annotations

import pytest

from actions.language import detect_language, requested_language


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
