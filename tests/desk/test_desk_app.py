"""The desk over HTTP, as a browser without JavaScript uses it: sign-in, sessions, CSRF, the pages, the
follow-ups, the CSV export and the erasure, against `python -m desk` on real databases."""

from __future__ import annotations

import csv
import inspect
import io
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
import requests

from desk.auth import verify_password
from leads import LeadStore
from leads.follow_ups import history
from tests.desk.conftest import PASSWORD, Desk, RasaTracker, csrf_token, seed
from tests.servers import ROOT, default_settings, free_port


def test_signed_out_pages_send_to_sign_in_and_forms_need_a_session(desk: Desk) -> None:
    client = desk.client()
    for path in ("/leads", f"/leads/{desk.references['marie']}", "/funnel"):
        answer = client.get(desk.url + path, allow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")
    page = client.get(f"{desk.url}/leads")
    assert page.url.startswith(f"{desk.url}/login") and "Sign in" in page.text
    token = csrf_token(page.text)  # an anonymous session's token is not a signed-in session
    answer = client.post(f"{desk.url}/leads/export.csv", data={"csrf_token": token})
    assert answer.status_code == 401
    assert "Please sign in first." in answer.text and "Traceback" not in answer.text


def test_the_session_cookie_is_httponly_strict_and_carries_no_personal_data(desk: Desk) -> None:
    answer = requests.get(f"{desk.url}/login")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("desk_session=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="):
        assert attribute in cookie
    assert "Secure" not in cookie  # DESK_COOKIE_SECURE=false in this desk


def test_the_cookie_is_secure_when_the_setting_says_so(fresh_desk) -> None:
    secure = fresh_desk(DESK_COOKIE_SECURE="true")
    assert "Secure" in requests.get(f"{secure.url}/login").headers["set-cookie"]


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(desk: Desk) -> None:
    client = desk.client()
    token = csrf_token(client.get(f"{desk.url}/login").text)
    wrong = client.post(f"{desk.url}/login", data={"csrf_token": token, "password": "guess"})
    assert wrong.status_code == 401 and "That password is not the right one." in wrong.text
    right = client.post(f"{desk.url}/login?next=/funnel",
                        data={"csrf_token": token, "password": PASSWORD, "next": "/funnel"})
    assert right.status_code == 200 and right.url == f"{desk.url}/funnel"


def test_signing_in_never_redirects_off_the_site(desk: Desk) -> None:
    client = desk.client()
    token = csrf_token(client.get(f"{desk.url}/login").text)
    answer = client.post(f"{desk.url}/login", allow_redirects=False,
                         data={"csrf_token": token, "password": PASSWORD, "next": "//evil.example/"})
    assert answer.headers["location"] == "/leads"


def test_sign_in_without_the_forms_token_is_refused(desk: Desk) -> None:
    client = desk.client()
    client.get(f"{desk.url}/login")
    for data in ({"password": PASSWORD}, {"password": PASSWORD, "csrf_token": "forged"}):
        answer = client.post(f"{desk.url}/login", data=data, allow_redirects=False)
        assert answer.status_code == 403
        assert "did not come from the desk" in answer.text
    assert client.get(f"{desk.url}/leads", allow_redirects=False).status_code == 303


def test_failed_sign_ins_are_limited_per_address(fresh_desk) -> None:
    limited = fresh_desk(DESK_LOGIN_ATTEMPTS="2", DESK_LOGIN_WINDOW_SECONDS="600")
    client = limited.client()
    token = csrf_token(client.get(f"{limited.url}/login").text)
    for _ in range(2):
        wrong = client.post(f"{limited.url}/login", data={"csrf_token": token, "password": "x"})
        assert wrong.status_code == 401
    blocked = client.post(f"{limited.url}/login", data={"csrf_token": token, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many wrong passwords" in blocked.text
    assert client.get(f"{limited.url}/leads", allow_redirects=False).status_code == 303


def test_a_tampered_cookie_is_a_signed_out_session(desk: Desk) -> None:
    client = desk.signed_in()
    cookie = client.cookies["desk_session"]
    payload, signature = cookie.split(".")
    forged = requests.Session()
    forged.cookies.set("desk_session", payload + "." + signature[::-1])
    assert forged.get(f"{desk.url}/leads", allow_redirects=False).status_code == 303
    assert client.get(f"{desk.url}/leads").status_code == 200


def test_signing_out_revokes_the_cookie_at_once(desk: Desk) -> None:
    client = desk.signed_in()
    old_cookie = client.cookies["desk_session"]
    token = csrf_token(client.get(f"{desk.url}/leads").text)
    client.post(f"{desk.url}/logout", data={"csrf_token": token})
    replay = requests.Session()
    replay.cookies.set("desk_session", old_cookie)
    assert replay.get(f"{desk.url}/leads", allow_redirects=False).status_code == 303


def test_leads_newest_first_with_status_slot_language_channel_and_verdict(desk: Desk) -> None:
    page = desk.signed_in().get(f"{desk.url}/leads").text
    refs = desk.references
    positions = [page.index(refs[key]) for key in ("lucy", "arjun", "marie")]
    assert positions == sorted(positions)
    arjun_row = page[page.index(refs["arjun"]):page.index(refs["marie"])]
    for expected in ("Arjun Mehta", "New", "No slot booked", "English", "Telegram", "Not eligible"):
        assert expected in arjun_row
    marie_row = page[page.index(refs["marie"]):]
    assert "French" in marie_row and "Website" in marie_row
    # Times in the consultancy's zone: Marie's lead came at 14:30 UTC, 9:30 AM in Montreal.
    assert "November 24, 2026, 9:30" in marie_row


def test_the_lead_page_in_french_shows_the_screening_and_the_conversation(desk: Desk) -> None:
    client = desk.signed_in(lang="fr")
    answer = client.get(f"{desk.url}/leads/{desk.references['marie']}")
    page = answer.text
    assert answer.status_code == 200 and '<html lang="fr">' in page
    for expected in ("Résumé de l'évaluation", "Ce que la personne nous a dit", "Conversation",
                     "Marie-Ève Tremblay", "marie.tremblay@example.com", "+33612345678 (06 12 34 56 78)",
                     "Europe/Paris (Paris)", "Site Web", "24 novembre 2026, 9 h 30"):
        assert expected.replace("'", "&#39;") in page, expected
    assert "Vous détenez un Certificat de sélection du Québec (CSQ)." in page  # the reason, in French
    assert "Rempli" in page
    # The profile reads as the person answered: the question's button, not the engine's code.
    assert "<dt>Lieu de résidence</dt><dd>Hors du Canada</dd>" in page and ">abroad<" not in page
    order = [page.index(text) for text in ("Bonjour! Je suis", "Est-ce que je suis admissible",
                                            "Où habitez-vous", "À l&#39;étranger, en France")]
    assert order == sorted(order)
    assert "Boutons proposés : À l&#39;étranger · Au Québec · Ailleurs au Canada" in page
    assert answer.headers["cache-control"] == "no-store"


def test_every_page_forbids_scripts_and_framing(desk: Desk) -> None:
    client = desk.signed_in()
    for path in ("/login", "/leads", f"/leads/{desk.references['arjun']}", "/funnel", "/nowhere"):
        headers = client.get(desk.url + path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    for page in (client.get(f"{desk.url}/leads").text, client.get(f"{desk.url}/login").text):
        assert "<script" not in page and " style=" not in page


def test_marking_contacted_then_closed_keeps_the_history(desk: Desk) -> None:
    client = desk.signed_in()
    reference = desk.references["arjun"]
    page = client.get(f"{desk.url}/leads/{reference}").text
    token = csrf_token(page)
    answer = client.post(f"{desk.url}/leads/{reference}/status",
                         data={"csrf_token": token, "status": "contacted",
                               "note": "Called, call back <Monday>"})
    assert answer.url.endswith(f"/leads/{reference}?saved=1") and "Follow-up saved." in answer.text
    assert "Called, call back &lt;Monday&gt;" in answer.text  # escaped
    client.post(f"{desk.url}/leads/{reference}/status", data={"csrf_token": token, "status": "closed",
                                                              "note": "Not eligible; referred to PEQ"})
    listing = client.get(f"{desk.url}/leads").text
    row = listing[listing.index(reference):listing.index(desk.references["marie"])]
    assert "Closed" in row
    with LeadStore(desk.leads_url) as store:
        assert [f.status for f in history(store, reference)] == ["closed", "contacted"]


def test_a_status_change_needs_the_token_and_a_known_status(desk: Desk) -> None:
    client = desk.signed_in()
    reference = desk.references["lucy"]
    token = csrf_token(client.get(f"{desk.url}/leads/{reference}").text)
    forged = client.post(f"{desk.url}/leads/{reference}/status", data={"status": "closed", "note": ""})
    assert forged.status_code == 403
    unknown = client.post(f"{desk.url}/leads/{reference}/status", data={"csrf_token": token, "status": "won"})
    assert unknown.status_code == 400 and "Choose one of the statuses offered." in unknown.text
    with LeadStore(desk.leads_url) as store:
        assert history(store, reference) == []


def test_the_csv_export_is_a_post_with_the_token(desk: Desk) -> None:
    client = desk.signed_in()
    token = csrf_token(client.get(f"{desk.url}/leads").text)
    answer = client.post(f"{desk.url}/leads/export.csv", data={"csrf_token": token})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="leads-')
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert {row["reference"] for row in rows} >= set(desk.references.values())
    assert client.get(f"{desk.url}/leads/export.csv").status_code in (404, 405)
    assert client.post(f"{desk.url}/leads/export.csv", data={}).status_code == 403


def test_erasing_asks_first_then_removes_the_lead_its_follow_ups_and_conversation(fresh_desk) -> None:
    running = fresh_desk()
    references = seed(running)
    reference = references["marie"]
    client = running.signed_in()
    token = csrf_token(client.get(f"{running.url}/leads/{reference}").text)
    client.post(f"{running.url}/leads/{reference}/status",
                data={"csrf_token": token, "status": "contacted", "note": "Spoke with Marie-Ève"})
    confirm = client.get(f"{running.url}/leads/{reference}/erase")
    assert "It cannot be" in confirm.text and 'name="confirm" value="yes"' in confirm.text
    not_confirmed = client.post(f"{running.url}/leads/{reference}/erase", data={"csrf_token": token})
    assert not_confirmed.url.endswith(f"/leads/{reference}/erase")
    with LeadStore(running.leads_url) as store:
        assert store.get(reference) is not None
    done = client.post(f"{running.url}/leads/{reference}/erase", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 200 and f"Lead {reference} and its conversation were erased." in done.text
    with LeadStore(running.leads_url) as store:
        assert store.get(reference) is None
        assert history(store, reference) == []
        assert store.get(references["arjun"]) is not None
    tracker = RasaTracker(running.tracker_url)
    try:
        assert tracker.count("sender-marie") == 0 and tracker.count("sender-arjun") > 0
    finally:
        tracker.close()
    gone = client.get(f"{running.url}/leads/{reference}")
    assert gone.status_code == 404 and "There is no such lead" in gone.text


def test_errors_are_friendly_pages_in_the_browsers_language(desk: Desk) -> None:
    answer = requests.get(f"{desk.url}/nowhere", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert answer.status_code == 404
    assert "Cette page n&#39;existe pas." in answer.text and "Traceback" not in answer.text
    client = desk.signed_in()
    bad = client.get(f"{desk.url}/funnel?since=2026-13-01")
    assert bad.status_code == 400 and "must be real dates" in bad.text
    method = client.delete(f"{desk.url}/leads")
    assert method.status_code == 405 and "<html" in method.text
    huge = client.post(f"{desk.url}/login", data={"password": "x" * 200_000})
    assert huge.status_code == 413 and "<html" in huge.text


def test_a_database_that_cannot_be_read_is_a_friendly_500(fresh_desk) -> None:
    broken = fresh_desk(LEADS_DB_URL="postgresql://desk@127.0.0.1:1/nowhere")
    client = broken.client()
    token = csrf_token(client.get(f"{broken.url}/login").text)
    client.post(f"{broken.url}/login", data={"csrf_token": token, "password": PASSWORD})
    answer = client.get(f"{broken.url}/leads")
    assert answer.status_code == 500
    assert "The leads database could not be read." in answer.text and "Traceback" not in answer.text


def test_the_language_toggle_is_remembered(desk: Desk) -> None:
    client = desk.signed_in()
    english = client.get(f"{desk.url}/leads").text
    assert 'href="/leads?lang=fr"' in english and ">Français<" in english
    client.get(f"{desk.url}/leads?lang=fr")
    assert "Demandes" in client.get(f"{desk.url}/leads").text


def test_hash_password_reads_stdin_and_prints_a_hash_that_verifies() -> None:
    done = subprocess.run([sys.executable, "-m", "desk", "hash-password"], input="s3cret desk pass\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert done.returncode == 0, done.stderr
    stored = done.stdout.strip()
    assert stored.startswith("scrypt$") and verify_password("s3cret desk pass", stored)
    assert not verify_password("s3cret desk pas", stored)


def test_without_a_hash_the_desk_prints_a_password_for_the_run(fresh_desk) -> None:
    running = fresh_desk(DESK_PASSWORD_HASH="")
    lines = running.log.read_text().splitlines()
    given = [line.split(": ", 1)[1] for line in lines if line.startswith("Desk password for this run: ")]
    assert len(given) == 1 and len(given[0]) >= 16
    client = running.client()
    token = csrf_token(client.get(f"{running.url}/login").text)
    assert client.post(f"{running.url}/login", data={"csrf_token": token, "password": given[0]}).url \
        .endswith("/leads")
    assert PASSWORD not in given


def test_the_funnel_shows_the_chart_and_the_tables_for_a_period(desk: Desk) -> None:
    client = desk.signed_in()
    answer = client.get(f"{desk.url}/funnel?since=2026-11-20&until=2026-11-26")
    page = answer.text
    assert answer.status_code == 200
    assert "<svg" in page and "<script" not in page
    assert 'value="2026-11-20"' in page and 'value="2026-11-26"' in page
    for heading in ("Day", "Language", "Channel"):
        assert f'<th scope="col">{heading}</th>' in page
    channels = page[page.index('<th scope="col">Channel</th>'):]
    assert '<th scope="row">Telegram</th>' in channels and '<th scope="row">Website chat</th>' in channels
    telegram_only = client.get(f"{desk.url}/funnel?since=2026-11-20&until=2026-11-26&channel=telegram").text
    telegram_table = telegram_only[telegram_only.index('<th scope="col">Channel</th>'):]
    assert "Website chat" not in telegram_table.split("</table>")[0]
    empty = client.get(f"{desk.url}/funnel?since=2020-01-01&until=2020-01-02").text
    assert "No conversations in this period." in empty


def test_the_funnel_without_a_tracker_store_says_so(fresh_desk) -> None:
    running = fresh_desk(TRACKER_DB_URL="")
    page = running.signed_in().get(f"{running.url}/funnel").text
    assert "There is no tracker store configured" in page


def _store_reads_slots() -> bool:
    """Whether leads.store reads each lead's booked slot (room A's change to LeadStore)."""
    return "slot_start" in inspect.signature(LeadStore.save).parameters


@pytest.mark.skipif(not _store_reads_slots(), reason="LeadStore does not read booked slots yet")
def test_a_booked_slot_shows_in_the_consultancys_time_with_the_persons_beside_it(fresh_desk) -> None:
    from leads.appointments import confirm_hold, hold
    from leads.availability import load_availability

    running = fresh_desk()
    references = seed(running)
    availability = load_availability()
    booked_at = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    starts = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)  # a Tuesday's first slot, 9:00 in Montreal
    with LeadStore(running.leads_url) as store:
        assert hold(store, "sender-marie", starts, availability, booked_at)
        with store.session() as session:
            confirm_hold(session, "sender-marie", starts, references["marie"], availability, booked_at)
            session.commit()
    client = running.signed_in()
    listing = client.get(f"{running.url}/leads").text
    assert "November 24, 2026, 9:00\u202fAM (Montreal) · 3:00\u202fPM (Paris)" in listing
    french = client.get(f"{running.url}/leads/{references['marie']}?lang=fr").text
    assert "24 novembre 2026, 9 h 00 (Montreal) · 15 h 00 (Paris)" in french


def test_a_password_hash_not_made_by_the_desk_stops_it_with_one_line() -> None:
    env = {**default_settings(), "PATH": os.environ.get("PATH", ""), "DESK_PASSWORD_HASH": "hunter2",
           "DESK_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "desk"], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=30)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == \
        "desk: DESK_PASSWORD_HASH is not a hash from `python -m desk hash-password`"


def test_the_desk_imports_neither_rasa_nor_the_actions() -> None:
    code = ("import sys, desk.__main__, desk.app; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'rasa_sdk', 'actions'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr
