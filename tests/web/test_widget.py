"""The website chat widget in a real browser, against the real assistant (action server + Rasa + web page).

Each test opens the demo page in a fresh browser context (empty storage, so a new conversation) and talks
to the assistant through the widget, as a visitor would: typing, clicking quick replies, switching the
language, reloading, using only the keyboard. Other tests check what the widget must refuse: markup in
messages, and pages from origins the socket.io channel does not allow.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import socketio
from playwright.sync_api import Locator, Page, expect

from i18n.catalog import text
from tests.servers import ROOT, VENV_BIN, Assistant, free_port
from tests.web.conftest import PHONE, BrowserTab

EVIL_ORIGIN = "http://evil.example"


class Chat:
    """The widget on a page, seen the way a visitor uses it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator(".impplus-launcher")
        self.panel = page.get_by_role("dialog")
        self.input = page.locator(".impplus-input")
        self.status = page.locator(".impplus-status")
        self.typing = page.locator(".impplus-typing")
        self.bot = page.locator(".impplus-msg--bot .impplus-text")
        self.user = page.locator(".impplus-msg--user .impplus-text")
        self.quick_replies = page.locator(".impplus-quick")

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.input).to_be_focused()

    def say(self, text: str) -> int:
        """Types and sends a message; returns how many bot messages there were before it."""
        before = self.bot.count()
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.user.last).to_have_text(text)
        return before

    def click(self, title: str) -> int:
        """Clicks a quick reply; its title becomes the person's bubble."""
        before = self.bot.count()
        self.quick_replies.get_by_role("button", name=title, exact=True).click()
        expect(self.user.last).to_have_text(title)
        return before

    def reply(
        self, before: int, pattern: str | re.Pattern[str], offset: int = 0, timeout: float = 15
    ) -> Locator:
        """Waits for one of the assistant's messages after the first `before + offset` to match (a first
        reply starts with the not-advice sentence, so the answer may come second)."""
        wanted = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            found = [i for i, t in enumerate(self.bot.all_text_contents()) if i >= before + offset
                     and wanted.search(t)]
            if found:
                return self.bot.nth(found[0])
            assert time.monotonic() < deadline, f"no reply like {pattern!r}: {self.bot.all_text_contents()}"
            time.sleep(0.1)

    def session_id(self) -> str | None:
        return self.page.evaluate(
            """() => {
                const key = Object.keys(localStorage).find(k => k.startsWith("impplus-chat:"));
                return key ? JSON.parse(localStorage.getItem(key)).sessionId : null;
            }"""
        )


def user_events(assistant: Assistant, sender: str) -> list[dict[str, Any]]:
    """The user messages the tracker store holds for `sender`, oldest first."""
    with sqlite3.connect(assistant.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def no_csp_violations(tab: BrowserTab) -> None:
    assert not [e for e in tab.console_errors if "Content Security Policy" in e], tab.console_errors
    assert not tab.page_errors, tab.page_errors


# ----------------------------------------------------------------------------------- the web server


def test_demo_page_is_served_with_strict_security_headers(assistant: Assistant) -> None:
    with urllib.request.urlopen(assistant.web_url, timeout=10) as response:
        headers = response.headers
        page = response.read().decode()
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    rasa_host = assistant.url.split("://", 1)[1]
    assert f"connect-src 'self' http://{rasa_host} ws://{rasa_host}" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    # the Rasa URL is injected as an attribute of the widget's script tag, and the page has no inline script
    assert f'data-server="{assistant.url}"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)

    with urllib.request.urlopen(assistant.web_url + "vendor/socket.io.min.js", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
    for path in ("widget/", "demo/", "nope", "widget/../serve.py", "widget/%2e%2e/serve.py", "node_modules/"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(assistant.web_url + path, timeout=10)
        assert error.value.code == 404, path


# ----------------------------------------------------------------------------------- conversations


def test_english_eligibility_check_by_typing(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], screenshots: Path,
    docs_screenshot: Callable[..., None],
) -> None:
    tab = new_tab()
    chat = Chat(tab.page)
    tab.page.goto(assistant.web_url)
    expect(chat.launcher).to_have_text("IMP+ assistant")
    chat.open()
    expect(chat.input).to_have_attribute("placeholder", "Type your message…")

    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    chat.reply(chat.say("I live in Lyon, France"), "Quebec Selection Certificate (CSQ)")
    expect(chat.quick_replies.get_by_role("button")).to_have_count(3)
    tab.page.screenshot(path=str(screenshots / "desktop-conversation.png"))
    chat.reply(chat.say("Yes, I have a CSQ"), "Under which Quebec program")
    chat.reply(chat.say("It was issued under the regular skilled worker program"), "still valid")
    chat.reply(chat.say("Yes, it is still valid"), "applied for permanent residence")
    chat.reply(chat.say("Yes, I applied for permanent residence"), "made a decision")
    chat.reply(chat.say("No decision yet"), "letter of invitation")
    chat.reply(chat.say("Yes, I received the invitation letter"), "application complete")
    chat.reply(chat.say("Yes, my application is complete"), "appear to be eligible for IMP+")
    source = chat.bot.filter(has_text="Sources:")
    expect(source).to_have_count(1)

    # each source is a real link, opened safely in a new tab; the text around it stays text
    link = source.locator("a").first
    href = link.get_attribute("href") or ""
    assert href.startswith("https://www.canada.ca/") and href.endswith("/csq-outside-quebec.html")
    expect(link).to_have_attribute("title", href)
    expect(link).to_have_text("canada.ca/…/csq-outside-quebec.html")  # host and page, not 200 characters
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    # newlines of multi-line replies are kept
    criteria = chat.bot.filter(has_text="What we know from your answers")
    assert "\n" in (criteria.text_content() or "")
    assert criteria.evaluate("e => getComputedStyle(e.parentElement).whiteSpace") == "pre-wrap"
    tab.page.screenshot(path=str(screenshots / "desktop-verdict.png"))
    chat.bot.filter(has_text="appear to be eligible").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    docs_screenshot(chat.panel, "widget-en-verdict.png")

    # the widget told the assistant the page's language with every message
    events = user_events(assistant, chat.session_id() or "")
    assert len(events) == 9
    assert all(event["parse_data"]["metadata"] == {"language": "en"} for event in events)
    no_csp_violations(tab)


def test_french_check_by_buttons_on_a_phone(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], screenshots: Path,
    docs_screenshot: Callable[..., None],
) -> None:
    tab = new_tab(viewport=PHONE, is_mobile=True, has_touch=True)
    chat = Chat(tab.page)
    # this page starts the widget with ImpPlusChat.init() from its own script, in French, with its colour
    tab.page.goto(assistant.web_url + "demo/fr.html")
    expect(chat.launcher).to_have_text("Assistant Parcours Québec")
    expect(chat.launcher).to_have_css("background-color", "rgb(138, 21, 56)")
    chat.open()
    expect(chat.input).to_have_attribute("placeholder", "Écrivez votre message…")
    box = chat.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}  # full screen

    chat.reply(chat.say("Je voudrais savoir si je suis admissible au PMI+"), "Où habitez-vous")
    chat.reply(chat.say("J'habite à Alger"), "Certificat de sélection du Québec")
    chat.reply(chat.click("Oui, j'en ai un"), "Dans quel programme")
    tab.page.screenshot(path=str(screenshots / "phone-conversation.png"))
    docs_screenshot(tab.page, "widget-fr-phone.png")
    chat.reply(chat.click("Programme régulier des travailleurs qualifiés (PRTQ)"), "toujours valide")
    chat.reply(chat.click("Oui, il est valide"), "résidence permanente")
    chat.reply(chat.click("Oui, je l'ai déposée"), "décision")
    chat.reply(chat.click("Aucune décision pour l'instant"), "lettre d'invitation")
    chat.reply(chat.click("Oui, je l'ai reçue"), "complète")
    chat.reply(chat.click("Oui, elle est complète"), "vous semblez admissible")
    expect(chat.bot.filter(has_text="Sources :").locator("a").first).to_be_visible()
    tab.page.screenshot(path=str(screenshots / "phone-verdict.png"))
    no_csp_violations(tab)


def test_language_switch_changes_the_labels_and_the_assistant(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], screenshots: Path
) -> None:
    tab = new_tab()
    page = tab.page
    chat = Chat(page)
    page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    chat.reply(chat.say("I live in Lyon, France"), "Do you hold a Quebec Selection Certificate")

    before = chat.bot.count()
    page.get_by_role("button", name="Français").click()
    # the widget's own labels
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "false")
    expect(chat.panel).to_have_attribute("aria-label", "Assistant PMI+")
    expect(page.locator(".impplus-title")).to_have_text("Assistant PMI+")
    expect(page.get_by_label("Votre message")).to_have_attribute("placeholder", "Écrivez votre message…")
    expect(page.get_by_role("button", name="Envoyer")).to_be_visible()
    expect(page.get_by_role("button", name="Fermer le clavardage")).to_have_count(2)  # header and launcher
    expect(chat.typing).to_contain_text("L'assistant écrit…")
    expect(page.locator(".impplus-note").last).to_have_text("Langue : français")
    # and the assistant: it says so, then asks the same question again in French
    chat.reply(before, "je continue en français")
    chat.reply(before, "Avez-vous un Certificat de sélection du Québec", offset=1)
    page.screenshot(path=str(screenshots / "desktop-language-switch.png"))
    chat.reply(chat.click("Oui, j'en ai un"), "Dans quel programme")

    before = chat.bot.count()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Your message")).to_have_attribute("placeholder", "Type your message…")
    expect(chat.launcher).to_have_attribute("aria-label", "Close the chat")
    chat.reply(before, "continue in English")
    chat.reply(before, "Under which Quebec program", offset=1)

    events = user_events(assistant, chat.session_id() or "")
    languages = [event["parse_data"]["metadata"]["language"] for event in events]
    assert languages == ["en", "en", "fr", "fr", "en"]
    no_csp_violations(tab)


def stored_items(page: Page) -> str:
    """Everything the widget keeps in the browser's storage."""
    return page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")


def test_no_contact_detail_stays_in_the_browser_after_a_booking(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], docs_screenshot: Callable[..., None]
) -> None:
    tab = new_tab()
    chat = Chat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("What is IMP+?"), "open work permit")
    chat.reply(chat.say("I'd like to book a call with a consultant"), "Before I ask for any personal detail")
    chat.reply(chat.click("Yes"), "full name")
    chat.reply(chat.say("Zofia Marchetti-Lund"), "email")
    chat.reply(chat.say("zofia.ml@example.org"), "phone")
    assert "Zofia" not in stored_items(tab.page) and "zofia.ml" not in stored_items(tab.page)
    expect(chat.user.filter(has_text="zofia.ml@example.org")).to_have_count(1)  # still on screen
    chat.reply(chat.say("stop"), "cancelled")
    kept = stored_items(tab.page)
    assert "Zofia" not in kept and "zofia.ml" not in kept and "What is IMP+?" in kept
    tab.page.reload()
    expect(chat.user.filter(has_text="What is IMP+?")).to_have_count(1)
    expect(chat.user.filter(has_text="Zofia")).to_have_count(0)
    # a booking carried to the end leaves nothing either
    chat.reply(chat.say("I want to book a call"), "Before I ask for any personal detail")
    for answer, next_question in (("yes", "full name"), ("Zofia Marchetti-Lund", "email"),
                                  ("zofia.ml@example.org", "phone"), ("skip", "time zone"),
                                  ("mornings, Rome time", "language"), ("English", "Shall I send")):
        chat.reply(chat.say(answer), next_question)
    docs_screenshot(chat.panel, "booking-summary.png")
    chat.reply(chat.say("yes"), "reference")
    kept = stored_items(tab.page)
    assert "Zofia" not in kept and "zofia.ml" not in kept and "Rome" not in kept


def test_history_survives_a_reload_and_the_conversation_continues(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    chat = Chat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    chat.reply(chat.say("I live in Lyon, France"), "Do you hold a Quebec Selection Certificate")
    session = chat.session_id()
    transcript = tab.page.locator(".impplus-text").all_text_contents()

    tab.page.reload()
    expect(chat.panel).to_be_visible()  # it was open, so it opens again
    expect(tab.page.locator(".impplus-text")).to_have_text(transcript)
    expect(chat.quick_replies.get_by_role("button", name="Yes, I have one")).to_be_visible()
    # the server still knows where the check stands: the next question follows, same sender
    chat.reply(chat.click("Yes, I have one"), "Under which Quebec program")
    assert chat.session_id() == session
    assert [e["text"] for e in user_events(assistant, session or "")] == [
        "Can you check if I qualify for IMP+?",
        "I live in Lyon, France",
        "/affirm",
    ]


def test_markup_typed_by_the_visitor_is_shown_as_text(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    chat = Chat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    attacks = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    for attack in attacks:
        chat.reply(chat.say(attack), re.compile(r"\S"))
    tab.page.reload()  # the stored transcript is rendered as text too
    expect(chat.user).to_have_text(attacks)
    log = tab.page.locator(".impplus-log")
    expect(log.locator("img")).to_have_count(0)
    expect(log.locator("script")).to_have_count(0)
    assert tab.dialogs == []
    no_csp_violations(tab)


def test_keyboard_only_and_aria(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], screenshots: Path
) -> None:
    tab = new_tab()
    page = tab.page
    chat = Chat(page)
    page.goto(assistant.web_url)
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")
    panel_id = chat.launcher.get_attribute("aria-controls")
    for _ in range(40):  # Tab through the page until the launcher has the focus
        page.keyboard.press("Tab")
        if chat.launcher.evaluate("e => e === document.activeElement"):
            break
    expect(chat.launcher).to_be_focused()
    assert chat.launcher.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # visible focus

    page.keyboard.press("Enter")
    expect(chat.panel).to_be_visible()
    expect(chat.panel).to_have_attribute("id", panel_id or "")
    expect(chat.panel).to_have_attribute("aria-label", "IMP+ assistant")
    expect(chat.launcher).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".impplus-log")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(page.locator(".impplus-intro")).to_contain_text("How can I help?")  # before the first message
    page.screenshot(path=str(screenshots / "desktop-welcome.png"))

    before = chat.bot.count()
    page.keyboard.type("Can you check if I qualify for IMP+?")
    page.keyboard.press("Enter")
    chat.reply(before, "Where do you live")
    before = chat.bot.count()
    page.keyboard.type("I live in Lyon, France")
    page.keyboard.press("Enter")
    chat.reply(before, "Do you hold a Quebec Selection Certificate")
    # quick replies are real buttons, reached with Shift+Tab from the input
    buttons = chat.quick_replies.get_by_role("button")
    expect(buttons).to_have_text(["Yes, I have one", "No CSQ", "I don't know"])
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    expect(buttons.first).to_be_focused()
    assert buttons.first.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    before = chat.bot.count()
    page.keyboard.press("Enter")
    chat.reply(before, "Under which Quebec program")
    expect(chat.input).to_be_focused()

    page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_be_focused()
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()


# ----------------------------------------------------------------------------------- origins


def test_foreign_origins_are_refused(assistant: Assistant) -> None:
    polling = f"{assistant.url}/socket.io/?EIO=4&transport=polling"
    allowed = assistant.web_url.rstrip("/")
    request = urllib.request.Request(polling, headers={"Origin": allowed})
    with urllib.request.urlopen(request, timeout=10) as ok:
        assert ok.headers["Access-Control-Allow-Origin"] == allowed
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(polling, headers={"Origin": EVIL_ORIGIN}), timeout=10)
    assert refused.value.code == 400

    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(assistant.url, headers={"Origin": EVIL_ORIGIN}, transports=["polling"])
    client.disconnect()


def test_page_on_an_origin_not_allowed_cannot_chat(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    port = free_port()
    web = subprocess.Popen(
        [str(VENV_BIN / "python"), "web/serve.py", "--host", "127.0.0.1", "--port", str(port)]
        + ["--rasa-url", assistant.url],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        tab = new_tab()
        chat = Chat(tab.page)
        tab.page.goto(f"http://127.0.0.1:{port}/")
        chat.open()
        expect(chat.status).to_have_text("Can't reach the assistant. Retrying…")
        chat.say("Hello")
        expect(chat.typing).to_be_visible()
        assert chat.bot.count() == 0
        assert chat.session_id() is None
    finally:
        web.send_signal(signal.SIGTERM)
        assert web.wait(timeout=10) == 0  # the web server stops cleanly on SIGTERM


# ----------------------------------------------------------------------------------- the channel


def test_the_page_language_reaches_the_actions(assistant: Assistant) -> None:
    """A city alone says nothing about the language: the widget's metadata decides, and is kept."""
    client = socketio.Client(reconnection=False)
    replies: list[dict[str, Any]] = []
    confirmed: list[str] = []
    client.on("bot_uttered", replies.append)
    client.on("session_confirm", confirmed.append)
    client.connect(assistant.url, headers={"Origin": assistant.web_url.rstrip("/")}, transports=["polling"])
    try:
        client.emit("session_request", {"session_id": None})
        wait_until(lambda: bool(confirmed))
        session = confirmed[0]
        # a message for another conversation than the one confirmed is dropped
        client.emit("user_uttered", {"message": "hello", "session_id": "someone-else-123", "metadata": {}})
        client.emit(
            "user_uttered",
            {"message": "Lyon", "session_id": session, "metadata": {"language": "fr", "admin": True}},
        )
        wait_until(lambda: len(replies) >= 2)
    finally:
        client.disconnect()
    assert replies[0]["text"] == text("fr", "not_advice"), "the first reply says it is not advice, in French"
    assert "Certificat de sélection du Québec" in replies[1]["text"]
    (event,) = user_events(assistant, session)
    assert event["parse_data"]["metadata"] == {"language": "fr"}  # what actions see as latest_message
    assert user_events(assistant, "someone-else-123") == []


# ----------------------------------------------------------------------------------- restarts (last: slow)


def test_widget_reconnects_after_the_server_restarts(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    chat = Chat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")

    restart = stop_rasa(assistant)
    try:
        expect(chat.status).to_have_text("Connection lost. Reconnecting…")
        before = chat.say("I live in Lyon, France")  # waits while the server is down
        expect(chat.typing).to_be_visible()
        expect(chat.typing).to_contain_text("The assistant is typing…")
    finally:
        restart()
    expect(chat.status).to_be_hidden(timeout=30_000)
    chat.reply(before, "Do you hold a Quebec Selection Certificate")  # same conversation, from the store
    expect(chat.typing).to_be_hidden()


# ----------------------------------------------------------------------------------- helpers


def stop_rasa(assistant: Assistant) -> Callable[[], None]:
    """Stops the Rasa server of `assistant`; returns the function that starts it again, same port."""
    assistant.kill_rasa(assistant.url)

    def start() -> None:
        assistant.start_rasa(assistant.rasa_port)
        assistant.wait_ready(180)

    return start


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)
