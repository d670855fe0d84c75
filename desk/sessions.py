"""Sessions kept in a signed cookie (HMAC-SHA256 with DESK_SECRET_KEY): who is signed in, the session's
CSRF token and its expiry. Nothing personal is in it. Signing out revokes the session id in this process,
so a copied cookie stops working at once rather than at its expiry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

COOKIE = "desk_session"
LIFETIME_SECONDS = 8 * 3600  # a working day: the consultant signs in again the next morning


@dataclass(frozen=True)
class Session:
    """``signed_in`` once the password was given; ``csrf`` goes in every form of the session."""

    sid: str
    csrf: str
    signed_in: bool
    expires: int


class SessionSigner:
    """Makes and reads session cookies; ``secret`` is DESK_SECRET_KEY (random per process when empty)."""

    def __init__(self, secret: str | None, clock: Callable[[], float]) -> None:
        self._key = (secret or secrets.token_urlsafe(32)).encode("utf-8")
        self._clock = clock
        self._revoked: dict[str, int] = {}  # session id -> its expiry (forgotten after it)

    def new(self, signed_in: bool = False) -> Session:
        """A fresh session: new id and CSRF token (signing in gets a new one, against session fixation)."""
        return Session(secrets.token_urlsafe(18), secrets.token_urlsafe(24), signed_in,
                       int(self._clock()) + LIFETIME_SECONDS)

    def dumps(self, session: Session) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(
            {"sid": session.sid, "csrf": session.csrf, "in": session.signed_in, "exp": session.expires},
            separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{self._sign(payload)}"

    def loads(self, cookie: str | None) -> Session | None:
        """The session in a cookie, or None when it is missing, forged, expired or revoked."""
        if not cookie or cookie.count(".") != 1:
            return None
        payload, signature = cookie.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session = Session(str(data["sid"]), str(data["csrf"]), bool(data["in"]), int(data["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.expires <= self._clock() or session.sid in self._revoked:
            return None
        return session

    def revoke(self, session: Session) -> None:
        """Sign a session out for good (until it would have expired anyway)."""
        now = self._clock()
        self._revoked = {sid: exp for sid, exp in self._revoked.items() if exp > now}
        self._revoked[session.sid] = session.expires

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
