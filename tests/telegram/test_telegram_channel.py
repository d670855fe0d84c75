"""The Telegram channel end to end: real Update payloads posted to the running assistant's webhook, the
replies read from the fake Bot API it was pointed at (nothing reaches api.telegram.org)."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request

import pytest

from channels.telegram import secret_token_for
from eligibility import PROFILE_FIELDS, question
from i18n.catalog import entry, text
from tests.servers import Assistant
from tests.telegram.conftest import TOKEN
from tests.telegram.fake_bot_api import FakeBotAPI
from tests.telegram.telegram_chat import TelegramChat, post_update

# The answers of an eligible person, as the payload of the button to tap for each question.
ELIGIBLE_ANSWERS = {
    "status_in_canada": '/inform{"status_in_canada": "work_or_study_permit"}',
    "has_csq": "/affirm",
    "csq_program": '/inform{"csq_program": "regular_skilled_worker"}',
    "csq_valid": "/affirm",
    "pr_applied": "/affirm",
    "pr_decision": '/inform{"pr_decision": "none"}',
    "pr_filed_while_csq_valid": "/affirm",
    "has_invitation": "/affirm",
    "application_complete": "/affirm",
}
YES_NO_FIELDS = ("has_csq", "csq_valid", "pr_applied", "pr_filed_while_csq_valid", "has_invitation")


def asked_field(lang: str, reply: str) -> str | None:
    """The profile field whose question (from the engine's wording) the reply asks."""
    for field_name in PROFILE_FIELDS:
        if question(field_name, lang).ask in reply:
            return field_name
    return None


def button_title(lang: str, field_name: str, payload: str) -> str:
    return next(b.title for b in question(field_name, lang).buttons if b.payload == payload)


def complete_check(chat: TelegramChat, lang: str, where: str) -> str:
    """Starts, opens the check from the menu, types where they live, then taps an answer per question."""
    chat.write("/start")
    assert text(lang, "not_advice") in chat.text() and text(lang, "greet") in chat.text()
    chat.tap(entry(lang, "menu_buttons")[0]["title"])  # "Check my situation"
    assert asked_field(lang, chat.text()) == "residence"
    assert chat.keyboard() is None, "where one lives is typed, not picked"
    chat.write(where)
    asked: list[str] = []
    for _ in range(len(ELIGIBLE_ANSWERS)):
        field_name = asked_field(lang, chat.text())
        if field_name is None:
            break
        asked.append(field_name)
        keyboard = chat.keyboard()
        assert keyboard is not None and keyboard.text == chat.replies[-1].text, f"{field_name}: no keyboard"
        chat.tap(button_title(lang, field_name, ELIGIBLE_ANSWERS[field_name]))
    assert asked[:2] == ["has_csq", "csq_program"] and "application_complete" in asked, asked
    return chat.text()


def test_english_eligibility_check_with_typing_and_inline_buttons(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    verdict = complete_check(chat, "en", "I live in Lyon, France")
    assert "appear to be eligible" in verdict
    assert "✅" in verdict and "❌" not in verdict
    assert "not immigration advice" in verdict and "Lyon" in verdict
    assert all(0 < len(reply.text) <= 4096 for reply in chat.api.messages_to(chat.chat_id))


def test_french_eligibility_check_with_typing_and_inline_buttons(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="fr")
    verdict = complete_check(chat, "fr", "J'habite à Lyon, en France")
    assert "vous semblez admissible" in verdict
    assert "✅" in verdict and "❌" not in verdict
    assert "pas un conseil en immigration" in verdict


@pytest.mark.parametrize(
    ("language_code", "first_message"), [("fr", "/start"), ("fr-CA", "/start"), ("fr", "bonjour")]
)
def test_french_telegram_language_gets_a_french_first_reply(
    telegram_assistant: Assistant, bot_api: FakeBotAPI, language_code: str, first_message: str
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code=language_code)
    chat.write(first_message)
    assert text("fr", "greet") in chat.text()
    titles = [button["text"] for button in chat.keyboard().inline_buttons]  # type: ignore[union-attr]
    assert titles == [button["title"] for button in entry("fr", "menu_buttons")]


def test_telegram_language_only_seeds_what_the_person_writes_decides(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="fr")
    chat.write("Hello, am I eligible for IMP+?")
    assert question("residence", "en").ask in chat.text()
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    chat.write("Bonjour, est-ce que je suis admissible au PMI+?")
    assert question("residence", "fr").ask in chat.text()
    for other in ("de", None):  # another language, or none given: English, as on every channel
        chat = TelegramChat(telegram_assistant, bot_api, language_code=other)
        chat.write("/start")
        assert text("en", "greet") in chat.text()


def test_yes_no_questions_come_with_an_inline_keyboard(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    chat.write("Am I eligible for IMP+? I live in Lyon, France.")
    field_name = asked_field("en", chat.text())
    assert field_name in YES_NO_FIELDS, chat.text()
    keyboard = chat.keyboard()
    assert keyboard is not None
    buttons = {button["callback_data"]: button["text"] for button in keyboard.inline_buttons}
    assert buttons == {
        "/affirm": button_title("en", field_name, "/affirm"),
        "/deny": button_title("en", field_name, "/deny"),
        "/dont_know": text("en", "dont_know_button"),
    }
    assert keyboard.message["reply_markup"] == keyboard.reply_markup  # echoed like the real API does
    chat.tap(button_title("en", field_name, "/affirm"))
    assert asked_field("en", chat.text()) not in (None, field_name)


def test_a_pstq_csq_is_unconfirmed_on_telegram_too(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="fr")
    chat.write("Bonjour! J'habite à Dakar et j'ai reçu mon CSQ par Arrima cette année. Suis-je admissible?")
    assert text("fr", "not_advice") in chat.text()
    for _ in range(4):
        field_name = asked_field("fr", chat.text())
        if field_name is None:
            break
        tap = {"csq_valid": "/affirm", "pr_applied": "/deny"}.get(field_name, "/dont_know")
        title = text("fr", "dont_know_button") if tap == "/dont_know" else button_title("fr", field_name, tap)
        chat.tap(title)
    verdict = chat.text()
    assert "nous n'avons pas pu confirmer si vous êtes admissible" in verdict, verdict
    assert "n'êtes pas admissible" not in verdict and "Où le confirmer" in verdict


def test_a_button_tap_is_acknowledged(telegram_assistant: Assistant, bot_api: FakeBotAPI) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    chat.write("/start")
    before = len(bot_api.calls_to("answerCallbackQuery"))
    chat.tap(entry("en", "menu_buttons")[1]["title"])  # "What is IMP+?"
    assert len(bot_api.calls_to("answerCallbackQuery")) == before + 1
    assert "IMP+" in chat.text()


MALFORMED_UPDATES: list[bytes | dict | list] = [
    b"",
    b"not json",
    b'"a string"',
    [],
    {},
    {"update_id": 1, "message": "garbage"},
    {"update_id": 2, "message": {"message_id": 1, "date": 0, "text": "hello"}},
    {"update_id": 3, "message": {"message_id": 1, "chat": {"id": None}, "text": "hello"}},
    {"update_id": 4, "message": {"message_id": 1, "chat": "x", "text": ["hello"]}},
    {"update_id": 5, "callback_query": {"id": "1", "data": 5}},
    {"update_id": 6, "callback_query": "x"},
    {"update_id": 7, "edited_message": {"message_id": 1, "chat": {"id": 1}, "caption": "no text"}},
]


def test_malformed_updates_get_200_and_the_next_message_still_works(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    sent_before = len(bot_api.sent)
    sticker = chat.message_update("x")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {
        "file_id": "CAACAgIAAxkBAAEB",
        "file_unique_id": "AgADBAADr",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    blocked = {  # what Telegram posts when the person blocks the bot
        "update_id": 8,
        "my_chat_member": {
            "chat": chat.chat,
            "from": chat.user,
            "date": int(time.time()),
            "old_chat_member": {"user": bot_api.bot_user, "status": "member"},
            "new_chat_member": {"user": bot_api.bot_user, "status": "kicked", "until_date": 0},
        },
    }
    for update in [*MALFORMED_UPDATES, sticker, blocked]:
        status, _ = post_update(telegram_assistant, update, bot_api.webhook_secret)
        assert status == 200, update
    assert len(bot_api.sent) == sent_before, "nothing is answered to updates without a message"
    chat.write("Am I eligible for IMP+?")
    assert question("residence", "en").ask in chat.text()


def test_webhook_is_set_at_startup_and_on_request(telegram_assistant: Assistant, bot_api: FakeBotAPI) -> None:
    expected = f"{telegram_assistant.url}/webhooks/telegram/webhook"
    deadline = time.monotonic() + 10
    while not bot_api.calls_to("setWebhook") and time.monotonic() < deadline:
        time.sleep(0.1)
    first = bot_api.calls_to("setWebhook")[0]
    assert first["url"] == expected
    assert set(json.loads(first["allowed_updates"])) == {"message", "edited_message", "callback_query"}
    set_webhook = f"{telegram_assistant.url}/webhooks/telegram/set_webhook"
    with urllib.request.urlopen(set_webhook, timeout=30) as reply:
        assert reply.status == 200 and "successful" in reply.read().decode()
    assert bot_api.webhook_url == expected and len(bot_api.calls_to("setWebhook")) >= 2


def test_the_webhook_is_registered_with_its_secret(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    """TELEGRAM_WEBHOOK_SECRET, or (empty, as in the tests) the one derived from the bot token."""
    expected = secret_token_for(TOKEN, os.environ.get("TELEGRAM_WEBHOOK_SECRET"))
    assert [call.get("secret_token") for call in bot_api.calls_to("setWebhook")][:1] == [expected]
    assert bot_api.webhook_secret == expected


def test_an_update_without_the_webhook_s_secret_gets_403(
    telegram_assistant: Assistant, bot_api: FakeBotAPI
) -> None:
    chat = TelegramChat(telegram_assistant, bot_api, language_code="en")
    secret = bot_api.webhook_secret
    for wrong in (None, "", "wrong", secret[:-1], secret + "x", secret.upper(), f"{secret[:-1]} "):
        status, _ = post_update(telegram_assistant, chat.message_update("Am I eligible for IMP+?"), wrong)
        assert status == 403, wrong
    assert bot_api.messages_to(chat.chat_id) == [], "a refused update is never answered"
    chat.write("Am I eligible for IMP+?")
    assert question("residence", "en").ask in chat.text()


def test_no_bot_api_call_was_refused(telegram_assistant: Assistant, bot_api: FakeBotAPI) -> None:
    """Every sendMessage the channel made was one the real API would accept (text, keyboard, limits)."""
    TelegramChat(telegram_assistant, bot_api).write("/start")
    assert len(bot_api.calls_to("sendMessage")) == len(bot_api.sent)


def test_without_a_token_the_channel_is_off_and_rest_works(
    assistant_without_token: Assistant, silent_bot_api: FakeBotAPI
) -> None:
    replies = assistant_without_token.say("rest-user", "Am I eligible for IMP+?")
    assert re.search(r"where do you live", " ".join(r.get("text") or "" for r in replies), re.I)
    chat = TelegramChat(assistant_without_token, silent_bot_api)
    status, body = post_update(assistant_without_token, chat.message_update("hello"))
    assert status == 503 and "TELEGRAM_TOKEN is empty" in body
    for route in ("webhook", "set_webhook"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{assistant_without_token.url}/webhooks/telegram/{route}", timeout=10)
        assert refused.value.code == 503
    with urllib.request.urlopen(f"{assistant_without_token.url}/webhooks/telegram/", timeout=10) as reply:
        assert json.loads(reply.read())["status"] == "off"
    assert silent_bot_api.calls == [], "an assistant without a token never calls the Bot API"
