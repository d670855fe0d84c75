"""Cross-site request forgery: every form carries its session's token, and every POST must return it.

The session cookie is also SameSite=Strict; the token is the second lock, for browsers or proxies that
would not honour it."""

from __future__ import annotations

import hmac

from .sessions import Session

FIELD = "csrf_token"


def token_matches(session: Session | None, submitted: str | None) -> bool:
    """Whether a form's token is its session's, compared in constant time."""
    if session is None or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
