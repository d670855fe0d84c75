"""The desk's web application (Sanic): pages, forms, sign-in, and the headers that keep it private.

Every page but the sign-in page needs a signed-in session; every POST needs its session's CSRF token.
Pages are plain HTML forms with no JavaScript, so the Content-Security-Policy allows no script at all.
Every error is a page in the consultant's language, never a traceback.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect
from sqlalchemy.exc import SQLAlchemyError

from i18n.catalog import text
from i18n.languages import SUPPORTED
from launch.health import add_sanic_routes, desk_checks
from launch.metrics import outbox_metrics
from leads.availability import consultancy_zone
from leads.follow_ups import STATUSES, history, set_status, status_of
from leads.lead_errors import LeadInputError
from leads.records import utcnow
from leads.reference import normalise_reference
from leads.store import LeadStore
from leads.transcript import channel_of, channels, transcript
from project_settings import ProjectSettings

from . import csrf, language, sessions
from .auth import LoginLimiter, verify_password
from .moments import moment
from .pages import (
    Zones,
    criteria,
    funnel_tables,
    label,
    lead_details,
    lead_row,
    profile_rows,
    transcript_rows,
)

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
LEADS_SHOWN = 500
FUNNEL_DAYS = 30  # the funnel's default period: the last month
MAX_BODY = 64 * 1024  # the desk's forms are a note at most
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")
_names = itertools.count(1)


class Refused(SanicException):
    """A request the desk refuses with a friendly page: ``message_key`` under desk.errors."""

    def __init__(self, status: int, message_key: str) -> None:
        super().__init__(message_key, status_code=status)
        self.message_key = message_key


@dataclass
class Desk:
    """What the handlers share: settings, the leads database, sessions, the login limiter, templates."""

    settings: ProjectSettings
    password_hash: str
    store: LeadStore
    signer: sessions.SessionSigner
    limiter: LoginLimiter
    templates: Environment
    zones: Zones
    now: Callable[[], datetime]

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> HTTPResponse:
        lang = getattr(request.ctx, "lang", language.DEFAULT_LANGUAGE)
        other = language.other_language(lang)
        session = getattr(request.ctx, "session", None)
        args = {key: value for key, value in request.args.items() if key != "lang"}
        toggle = request.path + "?" + urlencode({**{k: v[0] for k, v in args.items()}, "lang": other})
        page = self.templates.get_template(template).render(
            lang=lang, other_lang=other, toggle_url=toggle, path=request.path,
            csrf_field=csrf.FIELD, csrf_token=session.csrf if session else "",
            signed_in=bool(session and session.signed_in),
            t=lambda key, **v: text(lang, f"desk.{key}", **v), **values)
        return html(page, status=status)


def create_app(settings: ProjectSettings, password_hash: str, *, clock: Callable[[], float] = time.time,
               now: Callable[[], datetime] = utcnow) -> Sanic:
    """The desk on ``settings``' leads database and tracker store, signing in with ``password_hash``."""
    app = Sanic(f"desk{next(_names)}")
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.FALLBACK_ERROR_FORMAT = "html"
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                            undefined=StrictUndefined)
    desk = Desk(settings, password_hash, LeadStore(settings.leads_database_url),
                sessions.SessionSigner(settings.desk_secret_key, clock),
                LoginLimiter(settings.desk_login_attempts, settings.desk_login_window_seconds, clock),
                templates, Zones(consultancy_zone()), now)
    app.ctx.desk = desk
    app.error_handler = FriendlyErrors(desk)
    app.static("/static", str(HERE / "static"), name="static")
    _middleware(app, desk)
    _routes(app, desk)
    add_sanic_routes(app, desk_checks(settings), metrics_extra=outbox_metrics(desk.store))

    @app.after_server_stop
    async def close_store(*_: Any) -> None:
        desk.store.close()

    return app


def _middleware(app: Sanic, desk: Desk) -> None:
    @app.on_request
    async def read_session(request: Request) -> None:
        request.ctx.lang = language.desk_language(request.args.get("lang"),
                                                  request.cookies.get(language.COOKIE),
                                                  request.headers.get("accept-language"))
        session = desk.signer.loads(request.cookies.get(sessions.COOKIE))
        request.ctx.new_session = session is None
        request.ctx.session = session or desk.signer.new()

    @app.on_response
    async def write_headers(request: Request, response: HTTPResponse) -> None:
        secure_headers(response, request.path)
        if getattr(request.ctx, "new_session", False):
            set_session_cookie(response, desk, request.ctx.session)
        if request.args.get("lang") and language.supported(request.args.get("lang")):
            response.cookies[language.COOKIE] = request.ctx.lang
            cookie = response.cookies[language.COOKIE]
            cookie.update({"path": "/", "max-age": LANGUAGE_COOKIE_SECONDS, "samesite": "Strict",
                           "httponly": True})
            if desk.settings.desk_cookie_secure:
                cookie["secure"] = True


def secure_headers(response: HTTPResponse, path: str) -> None:
    """Every answer's headers: no framing, sniffing, referrer or script; nothing cached but the CSS."""
    response.headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
    response.headers["x-frame-options"] = "DENY"
    response.headers["x-content-type-options"] = "nosniff"
    response.headers["referrer-policy"] = "no-referrer"
    if not path.startswith("/static/"):
        response.headers["cache-control"] = "no-store"


def set_session_cookie(response: HTTPResponse, desk: Desk, session: sessions.Session) -> None:
    response.cookies[sessions.COOKIE] = desk.signer.dumps(session)
    cookie = response.cookies[sessions.COOKIE]
    cookie.update({"path": "/", "httponly": True, "samesite": "Strict",
                   "max-age": sessions.LIFETIME_SECONDS})
    if desk.settings.desk_cookie_secure:
        cookie["secure"] = True


def _signed_in(request: Request) -> None:
    if not request.ctx.session.signed_in:
        raise Refused(401, "signed_out")


def _checked_form(request: Request) -> dict[str, str]:
    """The POSTed form's fields, once its CSRF token is the session's (403 otherwise)."""
    form = request.form or {}
    if not csrf.token_matches(request.ctx.session, form.get(csrf.FIELD)):
        raise Refused(403, "csrf")
    return {key: str(form.get(key) or "") for key in form}


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never "//elsewhere")."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/leads"


def _routes(app: Sanic, desk: Desk) -> None:  # noqa: C901 - one place lists every route
    settings = desk.settings

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return HTTPResponse("ok", content_type="text/plain")

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/leads" if request.ctx.session.signed_in else "/login", status=303)

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        if request.ctx.session.signed_in:
            return redirect("/leads", status=303)
        return desk.render(request, "login.html", next=_safe_next(request.args.get("next")), error="")

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        form = _checked_form(request)
        address = request.ip or "unknown"
        if desk.limiter.blocked(address):
            logger.warning("desk: sign-in refused for a while to one address (too many failures)")
            raise Refused(429, "too_many_attempts")
        given = form.get("password", "")
        loop = asyncio.get_running_loop()  # scrypt takes tens of milliseconds: not on the event loop
        if not await loop.run_in_executor(None, verify_password, given, desk.password_hash):
            desk.limiter.failed(address)
            logger.info("desk: failed sign-in")
            return desk.render(request, "login.html", status=401, next=_safe_next(form.get("next")),
                               error=text(request.ctx.lang, "desk.login.wrong"))
        desk.limiter.succeeded(address)
        desk.signer.revoke(request.ctx.session)
        request.ctx.session = desk.signer.new(signed_in=True)
        request.ctx.new_session = True
        logger.info("desk: signed in")
        return redirect(_safe_next(form.get("next")), status=303)

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        _checked_form(request)
        desk.signer.revoke(request.ctx.session)
        request.ctx.session = desk.signer.new()
        request.ctx.new_session = True
        return redirect("/login", status=303)

    @app.get("/leads")
    async def leads_page(request: Request) -> HTTPResponse:
        _signed_in(request)
        lang = request.ctx.lang
        wanted = request.args.get("status")
        leads = desk.store.recent(LEADS_SHOWN)
        follow_ups = status_of(desk.store, [lead.reference for lead in leads])
        lead_channels = channels(settings.tracker_database_url, [lead.sender_id for lead in leads])
        rows = [lead_row(lead, follow_ups[lead.reference], lead_channels.get(lead.sender_id or ""),
                         desk.zones, lang) for lead in leads]
        if wanted in STATUSES:
            rows = [row for row in rows if row["status"] == wanted]
        filters = [{"status": s, "label": label(lang, "status", s), "current": s == wanted} for s in STATUSES]
        erased = normalise_reference(request.args.get("erased") or "")
        return desk.render(request, "leads.html", rows=rows, filters=filters, wanted=wanted or "",
                           erased=erased or "", shown=LEADS_SHOWN)

    def _lead_or_404(reference: str) -> Any:
        lead = desk.store.get(reference)
        if lead is None:
            raise Refused(404, "no_lead")
        return lead

    @app.get("/leads/<reference>")
    async def lead_page(request: Request, reference: str) -> HTTPResponse:
        _signed_in(request)
        lead = _lead_or_404(reference)
        lang = request.ctx.lang
        lines = transcript(settings.tracker_database_url, lead.sender_id)
        channel = channel_of(lines)
        follow_up = status_of(desk.store, [lead.reference])[lead.reference]
        past = [{"status": label(lang, "status", f.status), "note": f.note,
                 "at": moment(f.at, desk.zones.consultancy, lang) if f.at else ""}
                for f in history(desk.store, lead.reference)]
        screening = lead.screening or {}
        checked = screening.get("rules_last_checked")
        return desk.render(
            request, "lead.html", lead=lead, details=lead_details(lead, channel, desk.zones, lang),
            current=follow_up.status, current_label=label(lang, "status", follow_up.status),
            statuses=[{"value": s, "label": label(lang, "status", s)} for s in STATUSES],
            history=past, verdict=screening.get("verdict") or "",
            verdict_label=label(lang, "verdict", screening.get("verdict")),
            profile=profile_rows(screening.get("profile") or {}, lang),
            criteria=criteria(screening, lang, lead.language),
            alternatives=list(screening.get("alternatives") or []),
            caveats=list(screening.get("caveats") or []),
            rules_last_checked=str(checked) if checked else "",
            transcript=transcript_rows(lines, desk.zones, lang),
            saved=request.args.get("saved") == "1")

    @app.post("/leads/<reference>/status")
    async def change_status(request: Request, reference: str) -> HTTPResponse:
        _signed_in(request)
        form = _checked_form(request)
        lead = _lead_or_404(reference)
        try:
            set_status(desk.store, lead.reference, form.get("status", ""), form.get("note", ""), desk.now())
        except LeadInputError as exc:
            raise Refused(400, f"follow_up_{exc.field}") from None
        return redirect(f"/leads/{quote(lead.reference)}?saved=1", status=303)

    @app.get("/leads/<reference>/erase")
    async def erase_page(request: Request, reference: str) -> HTTPResponse:
        _signed_in(request)
        return desk.render(request, "erase.html", lead=_lead_or_404(reference))

    @app.post("/leads/<reference>/erase")
    async def erase(request: Request, reference: str) -> HTTPResponse:
        _signed_in(request)
        form = _checked_form(request)
        lead = _lead_or_404(reference)
        if form.get("confirm") != "yes":
            return redirect(f"/leads/{quote(lead.reference)}/erase", status=303)
        report = desk.store.erase(reference=lead.reference, tracker_db_url=settings.tracker_database_url)
        logger.info("desk: erased lead %s (tracker: %s, %d event(s))", lead.reference, report.tracker,
                    report.events_deleted)
        return redirect(f"/leads?erased={quote(lead.reference)}", status=303)

    @app.post("/leads/export.csv")
    async def export(request: Request) -> HTTPResponse:
        _signed_in(request)
        _checked_form(request)
        buffer = io.StringIO()
        count = desk.store.export_csv(buffer)
        logger.info("desk: exported %d lead(s) as CSV", count)
        stamp = desk.now().strftime("%Y%m%d-%H%M")
        return HTTPResponse(
            "\ufeff" + buffer.getvalue(),  # the BOM, like `python -m leads export`: Excel shows accents
            content_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="leads-{stamp}.csv"'})

    @app.get("/funnel")
    async def funnel_page(request: Request) -> HTTPResponse:
        _signed_in(request)
        lang = request.ctx.lang
        since, until = _period(request, desk)
        funnel = _funnel_modules()
        choice = _funnel_choice(request, funnel)
        values: dict[str, Any] = {"available": funnel is not None, "configured": False, "chart": "",
                                  "tables": [], "since": since.isoformat(), "until": until.isoformat(),
                                  "choice": choice, "choices": _funnel_choices(funnel, lang)}
        if funnel is not None:
            module, chart = funnel
            try:
                report = module.funnel_report(settings.tracker_database_url, since, until,
                                              zone=desk.zones.consultancy, **choice)
            except module.NoTrackerStore:
                report = None
            if report is not None:
                values.update(configured=True, chart=Markup(chart.funnel_svg(report, lang)),
                              tables=funnel_tables(report.to_dict(), module.STAGES, lang))
        return desk.render(request, "funnel.html", **values)


def _period(request: Request, desk: Desk) -> tuple[date, date]:
    """?since= and ?until= (ISO dates), by default the last FUNNEL_DAYS days in the consultancy's zone."""
    today = desk.now().astimezone(ZoneInfo(desk.zones.consultancy)).date()
    try:
        until = date.fromisoformat(request.args.get("until") or today.isoformat())
        default_since = until - timedelta(days=FUNNEL_DAYS)
        since = date.fromisoformat(request.args.get("since") or default_since.isoformat())
    except ValueError:
        raise Refused(400, "bad_dates") from None
    if since > until:
        raise Refused(400, "bad_dates")
    return since, until


def _funnel_modules() -> tuple[Any, Any] | None:
    """leads.funnel and leads.funnel_chart, or None while they are not installed (the page says so)."""
    try:
        return importlib.import_module("leads.funnel"), importlib.import_module("leads.funnel_chart")
    except ImportError:
        return None


def _funnel_choice(request: Request, funnel: tuple[Any, Any] | None) -> dict[str, str | None]:
    """The ?language= and ?channel= the funnel is narrowed to (None: all); unknown values are ignored."""
    channel = request.args.get("channel")
    return {"language": language.supported(request.args.get("language")),
            "channel": channel if funnel is not None and channel in funnel[0].CHANNELS else None}


def _funnel_choices(funnel: tuple[Any, Any] | None, lang: str) -> dict[str, list[tuple[str, str]]]:
    if funnel is None:
        return {"language": [], "channel": []}
    return {"language": [(code, label(lang, "language", code)) for code in SUPPORTED],
            "channel": [(code, text(lang, f"funnel.channels.{code}")) for code in funnel[0].CHANNELS]}


class FriendlyErrors(ErrorHandler):
    """Every 4xx and 5xx as a page in the consultant's language, with a way back; 401 goes to sign-in."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
        if status == 401 and request is not None and request.method == "GET":
            return redirect("/login?" + urlencode({"next": request.path}), status=303)
        if status >= 500:
            database = isinstance(exception, SQLAlchemyError)  # its parameters are hidden, not its rows'
            logger.error("desk: %s on %s %s", "database error" if database else type(exception).__name__,
                         request.method if request else "-", request.path if request else "-",
                         exc_info=not database)
        key = getattr(exception, "message_key", None) or _MESSAGE_FOR.get(status, "server" if status >= 500
                                                                          else "bad_request")
        if isinstance(exception, SQLAlchemyError):
            key = "database"
        try:
            response = self.desk.render(request, "error.html", status=status, message_key=key)
        except Exception:  # noqa: BLE001 - the error page itself must never fail
            logger.exception("desk: the error page failed")
            response = html("<!doctype html><title>Error</title><p>Something went wrong. "
                            "<a href='/leads'>Back</a></p>", status=status)
        secure_headers(response, request.path if request else "/")
        return response


_MESSAGE_FOR = {400: "bad_request", 401: "signed_out", 403: "forbidden", 404: "not_found",
                405: "bad_request", 413: "too_large", 429: "too_many_attempts"}
