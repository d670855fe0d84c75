"""A local SMTP server that keeps every message as a .eml file, so a developer can read what the worker
sends without a real mail server: ``python -m leads.mail_sink --host 127.0.0.1 --port 1025 --dir var/mail``
with SMTP_HOST=127.0.0.1 SMTP_PORT=1025 SMTP_STARTTLS=false. Nothing is relayed anywhere.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any

from aiosmtpd.controller import Controller

logger = logging.getLogger("leads.mail_sink")  # the same name when run as __main__


class EmlFolder:
    """An aiosmtpd handler writing each accepted message to ``folder`` as <UTC time>-<n>.eml."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd)
        content = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        with self._lock:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            path = self.folder / f"{stamp}-{next(self._numbers)}.eml"
            path.write_bytes(data)
        logger.info("message kept as %s", path.name)
        return "250 Message accepted for delivery"


def start_sink(host: str, port: int, folder: Path) -> Controller:
    """A started sink (call ``.stop()`` when done)."""
    controller = Controller(EmlFolder(folder), hostname=host, port=port)
    controller.start()
    return controller


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m leads.mail_sink [--host H] [--port P] [--dir D]``: keep mails as files until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m leads.mail_sink", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs each address at INFO
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    controller = start_sink(args.host, args.port, args.dir)
    logger.info("mail sink on %s:%d writing to %s", args.host, args.port, args.dir)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
