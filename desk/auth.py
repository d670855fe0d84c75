"""The desk's one password: stored as a salted scrypt hash, checked in constant time, and guessed at most
DESK_LOGIN_ATTEMPTS times per client address in DESK_LOGIN_WINDOW_SECONDS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import deque
from collections.abc import Callable

SCHEME = "scrypt"
# scrypt's cost (about 16 MiB and a few tens of milliseconds): slow for a guesser, quick for one login.
COST_N, BLOCK_R, PARALLEL_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
MAX_PASSWORD = 1024  # longer input is refused before hashing, so no one makes the server hash megabytes


class PasswordHashError(ValueError):
    """DESK_PASSWORD_HASH is not a hash made by ``python -m desk hash-password``."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=2 * 128 * n * r * p)


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$key``, a fresh salt each time; ValueError for an empty or huge password."""
    if not password or len(password) > MAX_PASSWORD:
        raise ValueError(f"the password must have 1 to {MAX_PASSWORD} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, COST_N, BLOCK_R, PARALLEL_P)
    return f"{SCHEME}${COST_N}${BLOCK_R}${PARALLEL_P}${_b64(salt)}${_b64(key)}"


def check_hash(stored: str) -> None:
    """Raises PasswordHashError when ``stored`` cannot be a hash of ours (checked once, at start-up)."""
    parts = stored.split("$")
    try:
        scheme, n, r, p, salt, key = parts
        valid = scheme == SCHEME and int(n) >= 2**10 and int(r) > 0 and int(p) > 0 and _unb64(salt) \
            and len(_unb64(key)) == KEY_BYTES
    except ValueError:
        valid = False
    if not valid:
        raise PasswordHashError("DESK_PASSWORD_HASH is not a hash from `python -m desk hash-password`")


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; the comparison takes the same time whatever differs."""
    check_hash(stored)
    if not password or len(password) > MAX_PASSWORD:
        return False
    _, n, r, p, salt, key = stored.split("$")
    return hmac.compare_digest(_derive(password, _unb64(salt), int(n), int(r), int(p)), _unb64(key))


class LoginLimiter:
    """Failed logins per client address within a sliding window; a success clears the address's count."""

    def __init__(self, attempts: int, window_seconds: float, clock: Callable[[], float]) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address, deque())
        cutoff = self._clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(address, None)
        return failures

    def blocked(self, address: str) -> bool:
        """True once the address has used up its attempts in the window."""
        return len(self._recent(address)) >= self.attempts

    def failed(self, address: str) -> None:
        """Count one failed login."""
        self._failures.setdefault(address, self._recent(address)).append(self._clock())

    def succeeded(self, address: str) -> None:
        """Forget the address's failures."""
        self._failures.pop(address, None)
