"""Whole conversations over the REST channel, in English and French, against the real servers."""

from __future__ import annotations

import re
import uuid

from tests.servers import Assistant

EN_QUESTION = {
    "residence": r"where do you live",
    "has_csq": r"Selection Certificate \(CSQ\)\?",
    "csq_program": r"which Quebec program",
    "csq_valid": r"still valid",
    "pr_applied": r"applied for permanent residence",
    "pr_decision": r"decision on your permanent residence",
    "has_invitation": r"letter of invitation",
    "application_complete": r"application complete",
    "status_in_canada": r"work permit or study permit",
    "pr_filed_while_csq_valid": r"submitted while your CSQ was still valid",
}
NOT_ADVICE = {"en": "not immigration advice", "fr": "pas un conseil en immigration"}
HEDGE = {"en": "we could not confirm that IMP+ still takes applications",
         "fr": "nous n'avons pas pu confirmer que le PMI+ accepte toujours des demandes"}


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


class Chat:
    """One person's conversation."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.sender = f"test-{uuid.uuid4().hex[:10]}"
        self.replies: list[dict] = []

    def say(self, message: str) -> str:
        self.replies = self.assistant.say(self.sender, message)
        return texts(self.replies)

    def buttons(self) -> list[dict]:
        return [button for reply in self.replies for button in reply.get("buttons") or []]


def asks(reply: str, field: str) -> bool:
    return re.search(EN_QUESTION[field], reply, re.I) is not None


def test_english_eligible_person_gets_explained_sourced_verdict(assistant: Assistant) -> None:
    chat = Chat(assistant)
    reply = chat.say("Hi, can you check if I qualify for IMP+?")
    assert asks(reply, "residence") and NOT_ADVICE["en"] in reply, "the first reply says it is not advice"
    assert asks(chat.say("I live in Lyon, France"), "has_csq")
    assert asks(chat.say("yes"), "csq_program")
    assert asks(chat.say("the regular skilled worker program"), "csq_valid")
    assert asks(chat.say("yes it's still valid"), "pr_applied")
    assert asks(chat.say("yes"), "pr_decision")
    assert asks(chat.say("no decision so far, still waiting"), "has_invitation")
    assert asks(chat.say("yes, I got the letter from MIFI"), "application_complete")
    verdict = chat.say("yes")
    assert "appear to be eligible" in verdict and HEDGE["en"] in verdict
    assert "✅" in verdict and "❌" not in verdict
    assert "https://" in verdict and "not immigration advice" in verdict
    assert "Lyon" in verdict


def test_a_pstq_csq_is_unconfirmed_with_where_to_confirm_in_both_languages(assistant: Assistant) -> None:
    """Said in one opening message, PSTQ by any name: never refused, never accepted; where to confirm and
    the call are given."""
    cases = (
        ("en", "Hello! I live in Casablanca and I got my CSQ through the new skilled worker program. "
               "Can you check if I can get IMP+?", {"still valid": "yes", "applied for permanent": "no"},
         ("could not confirm whether you are eligible", "Where to confirm")),
        ("fr", "Bonjour, j'habite à Lyon et mon CSQ vient du Programme de sélection des travailleurs "
               "qualifiés. Suis-je admissible au PMI+?",
         {"toujours valide": "oui", "résidence permanente": "non"},
         ("pas pu confirmer si vous êtes admissible", "Où le confirmer")),
    )
    for lang, opening, answers, marks in cases:
        chat = Chat(assistant)
        reply = chat.say(opening)
        for _ in range(4):
            if marks[1] in reply:
                break
            reply = chat.say(next((a for q, a in answers.items() if q in reply), "?"))
        assert all(mark in reply for mark in marks), (lang, reply)
        assert "quebec.ca" in reply and "canada.ca" in reply
        assert "not eligible" not in reply and "n'êtes pas admissible" not in reply
        assert "appear to be eligible" not in reply and "semblez admissible" not in reply
        assert any(b["payload"] == "/human_handoff" for b in chat.buttons()), "the call is offered"


def _answer_until_verdict(chat: Chat, opening: str, answers: dict[str, str], verdict_mark: str) -> str:
    """Says `opening`, then answers each question by the first of `answers` whose key it contains."""
    reply = chat.say(opening)
    for _ in range(6):
        if verdict_mark in reply:
            break
        reply = chat.say(next((a for q, a in answers.items() if q in reply), "?"))
    return reply


def test_a_pilot_csq_today_counts_and_the_pilot_is_told_as_closed(assistant: Assistant) -> None:
    """After 2026-01-01 the AI/IT/visual-effects pilot is closed (past tense); a CSQ it issued still comes
    from a program the IMP+ instructions name (FACTS.md)."""
    chat = Chat(assistant)
    reply = _answer_until_verdict(
        chat, "Hi, I live in Paris and my CSQ came from the AI, IT and visual effects pilot. Can I get IMP+?",
        {"still valid": "yes", "applied for permanent": "no", "letter of invitation": "yes",
         "application complete": "yes"}, "What we know from your answers")
    assert "closed to new applications on January 1, 2026" in reply, reply
    assert "appear to be eligible" in reply and HEDGE["en"] in reply
    assert "not eligible" not in reply and "could not confirm whether you are eligible" not in reply


def test_a_peq_csq_is_not_one_of_the_programs_named_in_french(assistant: Assistant) -> None:
    """The PEQ is known, and the IMP+ instructions (official) name only the PRTQ and the pilot."""
    chat = Chat(assistant)
    reply = _answer_until_verdict(
        chat, "Bonjour, j'habite à Lyon et mon CSQ vient du PEQ, suis-je admissible au PMI+?",
        {"toujours valide": "oui", "résidence permanente": "non"}, "Ce que nous savons")
    assert "vous n'êtes pas admissible au PMI+" in reply, reply
    assert "Programme de l'expérience québécoise (PEQ)" in reply and "n'en fait pas partie" in reply
    assert HEDGE["fr"] in reply and NOT_ADVICE["fr"] in reply


def test_an_expired_csq_is_asked_about_not_assumed(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("am I eligible for IMP+?")
    chat.say("I live in Lyon, France")
    chat.say("yes, from the regular skilled worker program")
    chat.say("no, it expired last year")
    reply = chat.say("yes")
    if asks(reply, "pr_decision"):
        reply = chat.say("no decision so far")
    assert asks(reply, "pr_filed_while_csq_valid"), reply


def test_person_in_quebec_is_told_at_once(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("am I eligible for IMP+?")
    verdict = chat.say("I live in Gatineau")
    assert "not eligible" in verdict
    assert re.search(r"bridging", verdict, re.I), "the BOWP alternative is offered"


def test_french_person_in_quebec_is_answered_in_french(assistant: Assistant) -> None:
    chat = Chat(assistant)
    assert "Où habitez-vous" in chat.say("Bonjour, est-ce que je suis admissible au PMI+?")
    verdict = chat.say("J'habite à Sherbrooke")
    assert "n'êtes pas admissible" in verdict
    assert "pas un conseil en immigration" in verdict


def test_french_eligible_person_by_clicking_buttons(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("Je voudrais vérifier si je peux avoir le PMI+")
    chat.say("Je vis à Alger en Algérie")
    for title in (
        "Oui, j'en ai un",
        "Programme régulier des travailleurs qualifiés (PRTQ)",
        "Oui, il est valide",
        "Oui, je l'ai déposée",
        "Aucune décision pour l'instant",
        "Oui, je l'ai reçue",
        "Oui, elle est complète",
    ):
        button = next(b for b in chat.buttons() if b["title"] == title)
        reply = chat.say(button["payload"])
    assert "vous semblez admissible" in reply
    assert "Ce que nous savons d'après vos réponses" in reply


def test_several_answers_in_one_message_are_all_taken(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("check my eligibility please")
    reply = chat.say("I live in Tunisia, I have a CSQ under the regular program and the MIFI letter")
    for answered in ("residence", "has_csq", "csq_program", "has_invitation"):
        assert not asks(reply, answered), f"asked again about {answered}: {reply}"
    assert asks(reply, "csq_valid")


def test_correction_reruns_the_assessment(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("am I eligible?")
    assert "not eligible" in chat.say("I live in Montreal")
    reply = chat.say("actually I live in Ottawa")
    assert asks(reply, "status_in_canada")


def test_question_in_the_middle_is_answered_and_the_form_resumes(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("can you check whether I qualify")
    chat.say("I'm in Paris")
    reply = chat.say("how much are the fees?")
    assert "155" in reply
    assert asks(reply, "has_csq")


def test_why_do_you_ask_explains_and_asks_again(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("check my eligibility")
    reply = chat.say("why do you need to know that?")
    assert "outside Quebec" in reply
    assert asks(reply, "residence")


def test_switching_language_mid_check(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("Can you check if I'm eligible for IMP+?")
    chat.say("I live in Toronto")
    reply = chat.say("en français svp")
    assert "français" in reply
    assert "permis de travail ou un permis d'études" in reply


def test_two_unusable_answers_bring_choices(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("check my eligibility")
    first = chat.say("potato")
    assert first.startswith("Sorry")
    chat.say("the big one")
    titles = [button["title"] for button in chat.buttons()]
    assert "Outside Canada" in titles


def test_stop_keeps_answers_and_short_replies_keep_the_language(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("Je veux vérifier mon admissibilité")
    chat.say("Je vis à Lyon")
    assert "CSQ" in chat.say("ok")
    assert "arrête" in chat.say("arrête")


def test_a_request_for_advice_gets_who_may_advise_and_the_call(assistant: Assistant) -> None:
    chat = Chat(assistant)
    reply = chat.say("Should I quit my job in Paris before applying for IMP+?")
    assert "licensed immigration consultant (RCIC) or lawyer" in reply
    assert "nothing to stop" not in reply
    assert any(b["payload"] == "/human_handoff" for b in chat.buttons())
    other = Chat(assistant)
    reply = other.say("Est-ce que je devrais vendre ma maison avant de demander le PMI+?")
    assert "(CRIC) ou avocat" in reply


def test_program_answers_say_the_status_could_not_be_confirmed(assistant: Assistant) -> None:
    for lang, question in (("en", "What is IMP+?"), ("en", "Is IMP+ still open?"),
                           ("fr", "Quelles sont les conditions du PMI+?"),
                           ("fr", "Comment faire la demande pour le PMI+?")):
        reply = Chat(assistant).say(question)
        assert HEDGE[lang].lower() in reply.lower() and NOT_ADVICE[lang] in reply, (question, reply)


def test_fallback_and_out_of_scope_in_the_person_language(assistant: Assistant) -> None:
    assert "IMP+" in Chat(assistant).say("What's the weather like in Vancouver tomorrow?")
    assert "PMI+" in Chat(assistant).say("C'est quoi ta recette de poutine préférée?")


def test_hostile_input_gets_a_polite_answer(assistant: Assistant) -> None:
    chat = Chat(assistant)
    for message in ["", "IMP+ " * 3000, "<b>hi</b><script>alert(1)</script>", "👋🍁", '{"a": 1}', "/unknown"]:
        replies = chat.assistant.say(chat.sender, message)
        assert "<script" not in texts(replies)
    assert chat.say("hello")
