"""``python -m launch.rasa_server RASA-RUN-ARGUMENTS...``: ``rasa run`` with its HTTP API, the API's
authentication and CORS set from the settings, the same way for scripts/run.sh and the test harness.

- RASA_ENABLE_API (default false): Rasa's HTTP API (/status, /conversations/..., /model...) stays off and
  only the channels' webhooks and ``/`` are served. When true, RASA_API_TOKEN (``?token=...``) and/or
  RASA_JWT_SECRET (``Authorization: Bearer <JWT>`` signed with RASA_JWT_METHOD) must be set: the server
  refuses to start with an API anyone could use.
- RASA_CORS_ORIGINS (default empty: none): the origins a browser may call Rasa from.

The arguments reach Rasa inside this process rather than on a command line, so the token and the JWT
secret never show in the process list. ``--check`` only checks the settings and the Rasa version (run.sh
does it first). Rasa's patches (launch/rasa_patches.py) are installed before Rasa starts, and the server
answers /health/live, /health/ready and /metrics (launch/health.py, launch/metrics.py) besides Rasa's own
routes.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from launch.health import add_sanic_routes, rasa_server_checks
from launch.rasa_patches import UnsupportedRasaVersion, check_version, install_rasa_server_patches
from privacy.tracker_events import time_bounded
from project_settings import ProjectSettings, SettingsError, get_settings

MIN_SECRET_CHARS = 16
# PyJWT's signing methods; "none" (unsigned tokens) is deliberately not one of them.
JWT_METHODS = tuple(f"{family}{bits}" for family in ("HS", "RS", "ES", "PS") for bits in (256, 384, 512))
_ORIGIN = re.compile(r"^https?://[^/\s,]+$")


def api_arguments(settings: ProjectSettings) -> list[str]:
    """``--enable-api`` with its authentication, or nothing when the API is off."""
    if not settings.rasa_enable_api:
        return []
    token = settings.rasa_api_token or ""
    secret = settings.rasa_jwt_secret or ""
    if not token and not secret:
        raise SettingsError("RASA_ENABLE_API is true but neither RASA_API_TOKEN nor RASA_JWT_SECRET is set: "
                            "refusing to open Rasa's HTTP API to anyone")
    for name, value in (("RASA_API_TOKEN", token), ("RASA_JWT_SECRET", secret)):
        if value and len(value) < MIN_SECRET_CHARS:
            raise SettingsError(f"{name} is shorter than {MIN_SECRET_CHARS} characters "
                                "(make one with: openssl rand -hex 32)")
    arguments = ["--enable-api"]
    if token:
        arguments += ["--auth-token", token]
    if secret:
        method = settings.rasa_jwt_method
        if method not in JWT_METHODS:
            raise SettingsError(f"RASA_JWT_METHOD must be one of {', '.join(JWT_METHODS)}, not {method!r}")
        arguments += ["--jwt-secret", secret, "--jwt-method", method]
    return arguments


def cors_arguments(settings: ProjectSettings) -> list[str]:
    """``--cors ORIGIN...`` for RASA_CORS_ORIGINS, or nothing (Rasa then sends no CORS headers)."""
    origins = [origin.rstrip("/") for origin in settings.rasa_cors_origins]
    for origin in origins:
        if origin != "*" and not _ORIGIN.match(origin):
            raise SettingsError(f"RASA_CORS_ORIGINS: {origin!r} is not an origin like https://www.example.org")
    return ["--cors", *origins] if origins else []


def rasa_run_arguments(settings: ProjectSettings) -> list[str]:
    """The arguments the settings add to ``rasa run``; SettingsError if they are unsafe or wrong."""
    return api_arguments(settings) + cors_arguments(settings)


def with_health_routes(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    """Rasa's app factory, adding /health/live, /health/ready and /metrics to the app it returns (and
    closing the action server's keep-alive connections when the server stops)."""

    def configure_app_with_health(*args: Any, **kwargs: Any) -> Any:
        from channels.action_keepalive import close_sessions

        app = configure_app(*args, **kwargs)
        add_sanic_routes(app, rasa_server_checks(get_settings(), app))

        async def close_action_connections(*_: Any) -> None:
            await close_sessions()

        app.register_listener(close_action_connections, "after_server_stop")
        return app

    configure_app_with_health.adds_health_routes = True  # type: ignore[attr-defined]
    return configure_app_with_health


def add_health_routes() -> None:
    """Rasa has no hook for routes outside a channel's /webhooks/ prefix, so ``rasa run``'s app factory
    (``rasa.core.run.configure_app``, looked up when serve_application calls it) is wrapped; idempotent.
    Written for the Rasa version ``check_version`` accepts."""
    import rasa.core.run as rasa_run

    if not getattr(rasa_run.configure_app, "adds_health_routes", False):
        rasa_run.configure_app = with_health_routes(rasa_run.configure_app)


def main(argv: Sequence[str] | None = None) -> int:
    """Check the settings, then run ``rasa run`` with the given arguments and those of the settings."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        extra = rasa_run_arguments(get_settings())
        check_version("rasa")
    except (SettingsError, UnsupportedRasaVersion) as exc:
        print(f"Not starting Rasa: {exc}.", file=sys.stderr)
        return 1
    if arguments == ["--check"]:
        return 0
    # No personal data in the logs: Rasa logs JSON (even in a terminal) so that the conversation fields can
    # be redacted, and emails and phone numbers are masked everywhere (privacy/log_masking.py).
    os.environ["FORCE_JSON_LOGGING"] = "1"
    # The tracker store's statements stay below the action timeout, like every other connection's.
    tracker_url = get_settings().tracker_database_url
    if tracker_url:
        os.environ["TRACKER_DB_URL"] = time_bounded(tracker_url).render_as_string(hide_password=False)
    install_rasa_server_patches()
    add_health_routes()
    from rasa.__main__ import main as rasa_main  # slow import: only once the settings are known to be fine

    sys.argv = ["rasa", "run", *arguments, *extra]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
