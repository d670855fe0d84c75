"""Ordinary messages that name no place must not produce a residence (the world gazetteer's main risk)."""

from __future__ import annotations

import pytest

from nlu_components.facts import extract_facts

NO_PLACE_MESSAGES = [
    "hi",
    "hello there",
    "Bonjour",
    "bonjour, comment ça va?",
    "salut!",
    "merci beaucoup",
    "thanks a lot, that's nice",
    "Nice to meet you",
    "nice, thank you",
    "yes",
    "oui",
    "no",
    "non",
    "ok",
    "I don't know",
    "je ne sais pas",
    "maybe",
    "can you check if I qualify?",
    "can you tell me if I am eligible",
    "est-ce que je suis admissible?",
    "what is IMP+?",
    "c'est quoi le PMI+?",
    "what is the cap for this year?",
    "how many applications are accepted each year?",
    "combien de demandes sont acceptées par année?",
    "how much are the fees?",
    "combien coûtent les frais?",
    "is there a fee for biometrics?",
    "how long does processing take?",
    "quel est le délai de traitement?",
    "can my spouse get an open work permit?",
    "est-ce que mon conjoint peut avoir un permis de travail?",
    "est-ce que je peux travailler partout au Canada",
    "can I work anywhere in Canada?",
    "is the permit open or closed?",
    "what documents do I need?",
    "quels documents dois-je fournir?",
    "I'm reading the guide right now",
    "I'm a regular user of your website",
    "the pilot program sounds interesting",
    "what's my status?",
    "I need a letter from my employer",
    "I want to talk to a consultant",
    "je veux parler à un consultant",
    "can I book a call?",
    "est-ce que je peux avoir un rendez-vous?",
    "please help me",
    "aidez-moi svp",
    "that's great news",
    "c'est une bonne nouvelle",
    "I have a question",
    "j'ai une question",
    "my name is Victoria",
    "je m'appelle Florence",
    "I'm Nancy",
    "I'm in a hurry",
    "I am at work now",
    "I'm on mobile, sorry for typos",
    "it is a long process",
    "this is a split decision",
    "I like orange juice",
    "the sale is over",
    "tours of the office",
    "je suis suisse",
    "you can only work in Quebec with this permit, right?",
    "is IMP+ available in Ontario?",
    "what happens if I move to Montreal?",
    "I want to move to Quebec",
    "j'aimerais immigrer au Québec",
    "🙂👍",
    "<p>Hello</p>",
    "IMP+ IMP+ IMP+",
    "Permit. Pilot. Regular. Program. Status. Letter.",
    "Mont Ville Cap Gap Of Is",
]


@pytest.mark.parametrize("text", NO_PLACE_MESSAGES)
def test_no_residence(text: str) -> None:
    """No residence (nor place) fact for a message that names no place of residence."""
    fields = {fact.field for fact in extract_facts(text)}
    assert "residence" not in fields and "place" not in fields, extract_facts(text)


def test_list_is_long_enough() -> None:
    """The brief asks for about 60 such sentences."""
    assert len(NO_PLACE_MESSAGES) >= 60


@pytest.mark.parametrize("text", ["yes", "oui", "non", "no", "yep", "nope", "ouais", "d'accord"])
def test_bare_answers_give_no_fact(text: str) -> None:
    """The caller interprets yes/no with the question it asked."""
    assert extract_facts(text) == []
