"""``python -m desk`` serves the desk on DESK_HOST:DESK_PORT; ``python -m desk hash-password`` reads a
password (a prompt, or stdin when piped) and prints the DESK_PASSWORD_HASH to set.

With DESK_PASSWORD_HASH empty, a random password is made for this run and printed as one line on stdout
("Desk password for this run: ..."): the desk is never open without a password.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import secrets
import sys
from collections.abc import Sequence

from project_settings import SettingsError, get_settings

from .auth import PasswordHashError, check_hash, hash_password

RUN_PASSWORD_BYTES = 12  # 16 URL-safe characters


def _hash_password(stdin_is_tty: bool) -> int:
    if stdin_is_tty:
        password = getpass.getpass("Desk password: ")
        if getpass.getpass("Again: ") != password:
            print("desk: the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        print(hash_password(password))
    except ValueError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 1
    return 0


def _serve() -> int:
    from .app import create_app  # Sanic only when serving

    try:
        settings = get_settings()
        password_hash = settings.desk_password_hash
        if password_hash:
            check_hash(password_hash)
        else:
            password = secrets.token_urlsafe(RUN_PASSWORD_BYTES)
            password_hash = hash_password(password)
            print(f"Desk password for this run: {password}", flush=True)
    except (SettingsError, PasswordHashError) as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings, password_hash)
    print(f"Desk on http://{settings.desk_host}:{settings.desk_port}/", flush=True)
    app.run(host=settings.desk_host, port=settings.desk_port, workers=1, access_log=False, motd=False,
            auto_reload=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desk", description="The consultants' desk.")
    parser.add_argument("command", nargs="?", choices=("serve", "hash-password"), default="serve",
                        help="serve (the default) or hash-password")
    args = parser.parse_args(argv)
    if args.command == "hash-password":
        return _hash_password(sys.stdin.isatty())
    return _serve()


if __name__ == "__main__":
    sys.exit(main())
