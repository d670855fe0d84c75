"""The funnel's SVG: a well-formed, standalone, accessible image whose labels come from the funnel catalog in
the language asked, with every count and share of the seeded conversations, and all text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from i18n.catalog import text
from i18n.formatting import format_share
from leads.funnel import Conversation, FunnelReport, funnel_report
from leads.funnel_chart import description, funnel_svg
from tests.leads.funnel_seed import NOV_2, NOV_3, seed

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> FunnelReport:
    url = f"sqlite:///{tmp_path_factory.mktemp('funnel') / 'tracker.db'}"
    seed(url)
    return funnel_report(url, NOV_2, NOV_3)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_standalone_accessible_svg(report: FunnelReport, lang: str) -> None:
    svg = funnel_svg(report, lang)
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("lang") == lang
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text.startswith(text(lang, "funnel.title"))
    assert desc.text == description(report, lang)
    for forbidden in ("<script", "onload", "href", "@font-face", "url(", "<style", "<foreignObject"):
        assert forbidden not in svg
    second = ET.fromstring(funnel_svg(report, lang, id_prefix="weekly"))
    assert second.get("aria-labelledby") == "weekly-title weekly-desc", "two charts in one page"
    assert second.find(f"{SVG}title").get("id") == "weekly-title"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labels_counts_and_shares(report: FunnelReport, lang: str) -> None:
    shown = texts(funnel_svg(report, lang))
    for stage in ("conversations", "check_started", "verdict", "booking_offered", "booking_started",
                  "booking_consented", "booking_confirmed"):
        assert text(lang, f"funnel.stages.{stage}") in shown
    for verdict in ("eligible", "not_eligible", "not_yet", "need_more_info", "unconfirmed"):
        assert text(lang, f"booking.verdicts.{verdict}") in shown
    # 7 conversations, 6 checks, 1 booking confirmed (see tests/leads/test_funnel.py)
    assert f"7 · {format_share(7, 7, lang)}" in shown and f"6 · {format_share(6, 7, lang)}" in shown
    assert f"1 · {format_share(1, 7, lang)}" in shown
    assert text(lang, "funnel.questions.status_in_canada") in shown
    assert text(lang, "funnel.questions.pr_filed_while_csq_valid") not in shown, "never asked: no row"
    stopped = text(lang, "funnel.columns.stopped")
    assert shown.count(f"{stopped} 1") == 1, "one person stopped, at one question"
    assert text(lang, "funnel.languages.fr") in shown and text(lang, "funnel.channels.telegram") in shown


def test_shares_in_each_language() -> None:
    assert format_share(1, 8, "en") == "12%" and format_share(3, 4, "fr") == "75\u00a0%"
    assert format_share(0, 0, "en") == "0%"


def test_description_names_the_question_that_loses_people(report: FunnelReport) -> None:
    assert description(report, "en") == (
        "7 conversations; 6 started the check, 5 got a verdict and 1 confirmed a booking. Most people "
        "stopped at: Status in Canada.")
    assert "Statut au Canada" in description(report, "fr")


def test_every_text_is_escaped() -> None:
    report = FunnelReport(since=date(2026, 11, 2), until=None, zone='Mars/<b>"&"</b>')
    conversation = Conversation(day=date(2026, 11, 2), language="<script>alert(1)</script>")
    report.add(conversation)
    svg = funnel_svg(report, "en")
    ET.fromstring(svg)
    assert "<b>" not in svg and "<script" not in svg and "&lt;b&gt;" in svg
    assert text("en", "funnel.unknown_language") in texts(svg)


def test_empty_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    seed(url)
    svg = funnel_svg(funnel_report(url, date(2027, 1, 1)), "fr")
    assert text("fr", "funnel.empty") in texts(svg) and "depuis le 1er janvier 2027" in svg
    assert ET.fromstring(svg).find(f"{SVG}desc").text == text("fr", "funnel.empty")


def test_a_column_for_every_day_of_the_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    seed(url)
    root = ET.fromstring(funnel_svg(funnel_report(url, date(2026, 11, 1), date(2026, 11, 4)), "en"))
    columns = [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")
               if rect.find(f"{SVG}title") is not None]
    assert columns == ["November 1, 2026: 0", "November 2, 2026: 3", "November 3, 2026: 4",
                       "November 4, 2026: 1"]
