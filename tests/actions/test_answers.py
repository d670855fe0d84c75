"""Program answers: every question intent has one, and every answer renders with real data and its sources."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actions.answers import QUESTION_INTENTS, answer_messages


def test_every_question_intent_of_the_domain_has_an_answer(domain: dict[str, Any]) -> None:
    # ask_advice asks for a personal decision, which gets no answer but who may advise (action_respond)
    asked = {intent for intent in domain["intents"] if intent.startswith("ask_") and intent != "ask_advice"}
    assert asked == set(QUESTION_INTENTS)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("intent", QUESTION_INTENTS)
def test_every_answer_renders_with_its_sources(intent: str, lang: str) -> None:
    body, sources = answer_messages(intent, lang)
    assert body and "{" not in body and "None" not in body
    assert "https://" in sources


# The answers that present IMP+ as a program running today: each says, in its first sentences, that the
# rules are as last checked and that whether IMP+ still takes applications could not be confirmed.
CURRENT_STATUS = ("ask_what_is", "ask_requirements", "ask_cap", "ask_how_to_apply", "ask_still_open",
                  "ask_validity", "ask_permit_type", "ask_csq", "ask_invitation", "ask_fees", "ask_family",
                  "ask_processing_time", "ask_purpose")
HEDGE = {"en": "we could not confirm that IMP+ still takes applications",
         "fr": "nous n'avons pas pu confirmer que le PMI+ accepte toujours des demandes"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("intent", CURRENT_STATUS)
def test_answers_about_the_program_carry_the_status_hedge_early(intent: str, lang: str) -> None:
    body = answer_messages(intent, lang)[0]
    assert HEDGE[lang] in body, body
    sentences = [s.lower() for s in body.split(". ") if s]
    hedge_at = next(i for i, s in enumerate(sentences) if HEDGE[lang].lower() in s)
    assert hedge_at <= 1, (intent, hedge_at, body)  # in the first sentence or right after it
    assert "November 29, 2026" in body or "29 novembre 2026" in body  # as last checked on DATE


def test_the_cap_is_a_dated_fact_not_a_projection(monkeypatch: pytest.MonkeyPatch) -> None:
    body = answer_messages("ask_cap", "en")[0]
    assert "14,700 in 2022, then 7,350 a year from 2023" in body
    assert "7\u202f350" in answer_messages("ask_cap", "fr")[0]
    assert f"In {dt.date.today().year}" not in body
    monkeypatch.setenv("IMPPLUS_TODAY", "2022-06-01")
    assert "then 14,700 a year from 2022" in answer_messages("ask_cap", "en")[0]


def test_each_fact_shows_its_own_source_without_a_limit() -> None:
    """The CSQ answer uses facts from three pages (IRCC, Quebec's pilot page, a PSTQ summary): all listed."""
    sources = answer_messages("ask_csq", "en")[1]
    assert sources.count("\n[") == 3, sources
    assert "immigrantquebec.com" in sources and "quebec.ca/en/immigration" in sources


def test_no_answer_offers_the_closed_pilot_as_a_route() -> None:
    for lang in ("en", "fr"):
        body = answer_messages("ask_csq", lang)[0]
        assert ("closed to new applications" in body) if lang == "en" else ("a fermé aux nouvelles" in body)
        assert "scheduled to close" not in body and "doit fermer" not in body


def test_an_answer_using_a_fact_checked_too_long_ago_says_it_may_be_out_of_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = answer_messages("ask_validity", "en")[1]
    assert "may be out of date" not in fresh
    monkeypatch.setenv("FACTS_STALE_AFTER_DAYS", "3")  # the validity was last checked on 2026-11-24
    stale = answer_messages("ask_validity", "en")[1]
    assert "more than 3 days ago and may be out of date" in stale
    assert "pourraient ne plus être à jour" in answer_messages("ask_validity", "fr")[1]
