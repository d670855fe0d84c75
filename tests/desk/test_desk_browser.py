"""The desk in Chromium (Debian's, through Playwright), the way a consultant uses it: sign in, read the
leads, open one, follow it up, switch to French, export, see the funnel, erase. With no JavaScript on the
desk, the browser must report no error at all (a blocked inline style or script would show as one).

Screenshots go to reports/desk-*.png; with DOCS_SCREENSHOTS=1 also to docs/desk-leads.png,
docs/desk-lead.png and docs/desk-funnel.png for the README.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.desk.conftest import PASSWORD, Desk, seed, start_desk
from tests.leads.funnel_seed import seeded_chats, write
from tests.servers import ROOT
from tests.web.conftest import DESKTOP, PHONE, BrowserTab

REPORTS = ROOT / "reports"
FUNNEL_PERIOD = "since=2026-11-01&until=2026-11-26"
LEAD_PICTURE = {"width": 1280, "height": 1250}


@pytest.fixture(scope="module")
def shown_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A desk as `make run` starts it (Secure cookies: Chromium keeps them on a loopback address), with the
    sample leads and, for the funnel, conversations shaped like the assistant's."""
    running = start_desk(tmp_path_factory.mktemp("desk-browser"), DESK_COOKIE_SECURE="true")
    seed(running)
    write(running.tracker_url, *seeded_chats())
    yield running
    running.stop()


def shot(target: Page, name: str) -> None:
    REPORTS.mkdir(exist_ok=True)
    target.screenshot(path=str(REPORTS / name), full_page=True)


def sign_in(page: Page, desk: Desk) -> None:
    page.goto(f"{desk.url}/leads")
    expect(page).to_have_url(f"{desk.url}/login?next=%2Fleads")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{desk.url}/leads")


def test_a_consultant_reads_follows_up_and_exports_leads(
        shown_desk: Desk, new_tab: Callable[..., BrowserTab],
        docs_screenshot: Callable[[Page, str], None], tmp_path: Path) -> None:
    tab = new_tab()
    page = tab.page
    page.goto(f"{shown_desk.url}/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "desk-login.png")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That password is not the right one.")
    sign_in(page, shown_desk)

    rows = page.locator("table.leads tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Lucy Nguyen")
    expect(rows.nth(2)).to_contain_text("Marie-Ève Tremblay")
    expect(rows.nth(1)).to_contain_text("Telegram")
    shot(page, "desk-leads.png")
    docs_screenshot(page, "desk-leads.png")

    marie = shown_desk.references["marie"]
    page.get_by_role("link", name=marie).click()
    expect(page.get_by_role("heading", name=f"Lead {marie}")).to_be_visible()
    expect(page.locator("table.criteria tbody tr").first).to_be_visible()
    expect(page.locator("ol.transcript li")).to_have_count(6)
    expect(page.locator("ol.transcript")).to_contain_text("À l'étranger, en France")
    page.get_by_label("Contacted").check()
    page.get_by_label("Note").fill("Called; she sends her CSQ by email.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Follow-up saved.")
    expect(page.locator("ol.history li").first).to_contain_text("Called; she sends her CSQ by email.")
    shot(page, "desk-lead.png")
    page.set_viewport_size(LEAD_PICTURE)  # the README's picture reaches the screening's criteria
    docs_screenshot(page, "desk-lead.png")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", name=f"Demande {marie}")).to_be_visible()
    expect(page.get_by_text("Résumé de l'évaluation")).to_be_visible()
    shot(page, "desk-lead-fr.png")
    page.get_by_role("link", name="Demandes", exact=True).click()
    expect(page.locator("table.leads tbody tr").nth(2)).to_contain_text("Contactée")
    page.get_by_role("link", name="English").click()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export all leads (CSV)").click()
    saved = tmp_path / "leads.csv"
    download_info.value.save_as(saved)
    exported = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert {row["reference"] for row in exported} == set(shown_desk.references.values())

    page.set_viewport_size(PHONE)
    page.goto(f"{shown_desk.url}/leads/{marie}")
    shot(page, "desk-lead-phone.png")
    # The one error a browser reports is the wrong password's answer (401): no blocked style or script.
    assert [error for error in tab.console_errors if "401" not in error] == []
    assert len(tab.console_errors) == 1 and tab.page_errors == [] and tab.dialogs == []


def test_the_funnel_page_shows_the_chart_and_tables(
        shown_desk: Desk, new_tab: Callable[..., BrowserTab],
        docs_screenshot: Callable[[Page, str], None]) -> None:
    tab = new_tab()
    page = tab.page
    sign_in(page, shown_desk)
    page.get_by_role("link", name="Funnel").click()
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-26")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{shown_desk.url}/funnel?{FUNNEL_PERIOD}&language=&channel=")
    chart = page.locator("figure.chart svg")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 200
    expect(page.get_by_role("heading", name="Channel")).to_be_visible()
    shot(page, "desk-funnel.png")
    docs_screenshot(page, "desk-funnel.png")
    assert tab.console_errors == [] and tab.page_errors == []


def test_erasing_a_lead_takes_two_steps(shown_desk: Desk, new_tab: Callable[..., BrowserTab]) -> None:
    tab = new_tab()
    page = tab.page
    sign_in(page, shown_desk)
    lucy = shown_desk.references["lucy"]
    page.get_by_role("link", name=lucy).click()
    page.get_by_role("link", name="Erase this lead…").click()
    expect(page.get_by_role("heading", name=f"Erase lead {lucy}?")).to_be_visible()
    shot(page, "desk-erase.png")
    page.get_by_role("link", name="No, go back to the lead").click()
    expect(page.get_by_role("heading", name=f"Lead {lucy}")).to_be_visible()
    page.get_by_role("link", name="Erase this lead…").click()
    page.get_by_role("button", name="Yes, erase for good").click()
    expect(page.get_by_role("status")).to_have_text(f"Lead {lucy} and its conversation were erased.")
    expect(page.locator("table.leads tbody tr")).to_have_count(2)
    page.goto(f"{shown_desk.url}/leads/{lucy}")
    expect(page.get_by_role("alert")).to_have_text("There is no such lead; it may have been erased.")
    shot(page, "desk-not-found.png")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{shown_desk.url}/login")
    page.goto(f"{shown_desk.url}/leads")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert tab.page_errors == []
