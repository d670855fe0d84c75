"""The widget when the connection drops: what the visitor types is sent when it is back, or offers a retry.

The network is cut in the browser itself (Playwright's offline mode), which drops socket.io's connection
the way a lost Wi-Fi does (and tells the page it is offline), while the real assistant keeps running
(tests/web/test_widget.py restarts the server instead: a message then waits and goes). Every message is
checked in the tracker store, so "sent once" means the assistant got it exactly once. The widget's
give-up delay is jumped over with Playwright's clock rather than waited for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.servers import ROOT, Assistant
from tests.web.conftest import PHONE, BrowserTab
from tests.web.test_widget import Chat, stored_items, user_events

SCREENSHOT = ROOT / "reports" / "widget-offline.png"
GIVE_UP_AFTER = "00:35"  # a little more than the widget's OFFLINE_GIVE_UP_MS (30 s, device offline)


class OfflineChat(Chat):
    """The chat, plus what it says under a message sent later."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.pending = page.locator(".impplus-msg--pending")
        self.failed = page.locator(".impplus-msg--failed")
        self.retry = page.locator(".impplus-retry")
        self.announcer = page.locator(".impplus-announcer")


def cut(tab: BrowserTab, chat: Chat, reconnecting: str) -> None:
    """Takes the browser off the network and waits until the widget knows it lost the connection."""
    tab.context.set_offline(True)
    expect(chat.status).to_have_text(reconnecting)


def restore(tab: BrowserTab, chat: Chat) -> None:
    tab.context.set_offline(False)
    expect(chat.status).to_be_hidden(timeout=30_000)


def widget_errors(tab: BrowserTab) -> list[str]:
    """Console and page errors, except the browser's own report of socket.io's polls made while offline
    (or refused by the test's route)."""
    codes = ("ERR_INTERNET_DISCONNECTED", "ERR_FAILED")
    cut_off = {f"Failed to load resource: net::{code}" for code in codes}
    return [e for e in tab.console_errors if e not in cut_off] + tab.page_errors


def test_message_typed_while_offline_is_sent_once_and_in_order_when_back(
    assistant: Assistant, new_tab: Callable[..., BrowserTab], screenshots: Path
) -> None:
    tab = new_tab()
    chat = OfflineChat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    session = chat.session_id() or ""

    cut(tab, chat, "Connection lost. Reconnecting…")
    before = chat.say("I live in Lyon, France")
    chat.say("Yes, I have a CSQ")
    expect(chat.pending).to_have_count(2)
    waiting = "Sending when the connection is back…"
    expect(chat.pending.locator(".impplus-delivery")).to_have_text([waiting, waiting])
    expect(chat.retry).to_have_count(0)
    assert [e["text"] for e in user_events(assistant, session)] == ["Can you check if I qualify for IMP+?"]
    tab.page.screenshot(path=str(screenshots / "desktop-offline-pending.png"))

    restore(tab, chat)
    chat.reply(before, "Do you hold a Quebec Selection Certificate")
    chat.reply(before, "Under which Quebec program")
    expect(chat.pending).to_have_count(0)
    expect(tab.page.locator(".impplus-delivery")).to_have_count(0)
    expect(chat.announcer).to_have_text("Your message was sent.")
    expect(chat.bot.filter(has_text="Under which Quebec program")).to_have_count(1)
    assert [e["text"] for e in user_events(assistant, session)] == [
        "Can you check if I qualify for IMP+?",
        "I live in Lyon, France",
        "Yes, I have a CSQ",
    ]
    # the transcript kept in the browser says nothing is waiting any more
    stored = tab.page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
    assert '"state"' not in stored
    assert widget_errors(tab) == []


def test_message_not_sent_in_time_is_sent_by_the_retry_button_from_the_keyboard(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    tab.page.clock.install()
    chat = OfflineChat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    session = chat.session_id() or ""

    cut(tab, chat, "Connection lost. Reconnecting…")
    before = chat.say("I live in Lyon, France")
    expect(chat.pending).to_have_count(1)
    assert tab.page.evaluate("() => navigator.onLine") is False
    tab.page.clock.fast_forward(GIVE_UP_AFTER)
    expect(chat.retry).to_have_text("Not sent — tap to retry")
    expect(chat.retry).to_have_attribute("type", "button")
    expect(chat.retry).to_have_accessible_description("I live in Lyon, France")
    expect(chat.announcer).to_have_text(
        "Your message was not sent. Use the retry button under it to send it again."
    )
    expect(chat.typing).to_be_hidden()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOT))

    # back online, a message given up on is not sent by itself: only the retry sends it
    restore(tab, chat)
    expect(chat.failed).to_have_count(1)
    chat.input.focus()
    tab.page.keyboard.press("Shift+Tab")
    expect(chat.retry).to_be_focused()
    tab.page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    chat.reply(before, "Do you hold a Quebec Selection Certificate")
    expect(chat.retry).to_have_count(0)
    expect(chat.announcer).to_have_text("Your message was sent.")
    assert [e["text"] for e in user_events(assistant, session)] == [
        "Can you check if I qualify for IMP+?",
        "I live in Lyon, France",
    ]
    assert widget_errors(tab) == []


def test_in_french_on_a_phone_a_retry_while_still_offline_waits_again_then_goes(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab(viewport=PHONE, is_mobile=True, has_touch=True)
    tab.page.clock.install()
    chat = OfflineChat(tab.page)
    tab.page.goto(assistant.web_url + "demo/fr.html")
    chat.open()
    chat.reply(chat.say("Je voudrais savoir si je suis admissible au PMI+"), "Où habitez-vous")
    session = chat.session_id() or ""

    cut(tab, chat, "Connexion perdue. Reconnexion…")
    before = chat.say("J'habite à Alger")
    expect(chat.pending.locator(".impplus-delivery")).to_have_text("Envoi dès le retour de la connexion…")
    tab.page.clock.fast_forward(GIVE_UP_AFTER)
    expect(chat.retry).to_have_text("Non envoyé — touchez pour réessayer")
    chat.retry.tap()  # still offline: it waits for the connection again
    expect(chat.pending.locator(".impplus-delivery")).to_have_text("Envoi dès le retour de la connexion…")
    expect(chat.retry).to_have_count(0)

    restore(tab, chat)
    chat.reply(before, "Certificat de sélection du Québec")
    expect(chat.announcer).to_have_text("Votre message a été envoyé.")
    assert [e["text"] for e in user_events(assistant, session)] == [
        "Je voudrais savoir si je suis admissible au PMI+",
        "J'habite à Alger",
    ]
    assert widget_errors(tab) == []


def test_a_message_waiting_when_the_page_is_reloaded_offers_a_retry(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    page = tab.page
    chat = OfflineChat(page)
    page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("Can you check if I qualify for IMP+?"), "Where do you live")
    session = chat.session_id() or ""

    cut(tab, chat, "Connection lost. Reconnecting…")
    before = chat.say("I live in Lyon, France")
    expect(chat.pending).to_have_count(1)
    # the page comes back, but the assistant cannot be reached yet: the message was never sent, and says so
    page.route("**/socket.io/**", lambda route: route.abort())
    tab.context.set_offline(False)
    page.reload()
    expect(chat.retry).to_have_text("Not sent — tap to retry")
    expect(chat.pending).to_have_count(0)

    page.unroute("**/socket.io/**")
    expect(chat.status).to_be_hidden(timeout=30_000)
    assert [e["text"] for e in user_events(assistant, session)] == ["Can you check if I qualify for IMP+?"]
    chat.retry.click()
    chat.reply(before, "Do you hold a Quebec Selection Certificate")
    assert [e["text"] for e in user_events(assistant, session)] == [
        "Can you check if I qualify for IMP+?",
        "I live in Lyon, France",
    ]
    assert widget_errors(tab) == []


def test_a_contact_detail_typed_offline_during_a_booking_is_never_stored(
    assistant: Assistant, new_tab: Callable[..., BrowserTab]
) -> None:
    tab = new_tab()
    chat = OfflineChat(tab.page)
    tab.page.goto(assistant.web_url)
    chat.open()
    chat.reply(chat.say("I'd like to book a call with a consultant"), "Before I ask for any personal detail")
    chat.reply(chat.click("Yes"), "full name")

    cut(tab, chat, "Connection lost. Reconnecting…")
    before = chat.say("Zofia Marchetti-Lund")
    expect(chat.pending).to_have_count(1)
    assert "Zofia" not in stored_items(tab.page)
    restore(tab, chat)
    chat.reply(before, "email")
    assert "Zofia" not in stored_items(tab.page)
    chat.reply(chat.say("stop"), "cancelled")
    assert widget_errors(tab) == []
