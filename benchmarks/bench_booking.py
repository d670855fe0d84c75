"""The reply time of a booking's last turns with email up and with email down.

Starts the embedded profile (action server, one Rasa server) and the notification worker (leads/delivery.py)
with SMTP pointed at a real SMTP server on loopback (aiosmtpd, leads/mail_sink.py). Books `--bookings` calls
through REST with the SMTP server up, then as many with it down, timing the turn that picks a slot (it holds
the slot in the database) and the turn that confirms (it saves the lead, its slot and its notifications).
Then the SMTP server comes back and the worker delivers what waited: each email arrives exactly once.

    python benchmarks/bench_booking.py [--bookings 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads.mail_sink import start_sink  # noqa: E402
from tests.servers import ROOT, VENV_BIN, Assistant, free_port  # noqa: E402

START_TIMEOUT_SECONDS = 300.0
DELIVERY_TIMEOUT_SECONDS = 120.0


def slot_payload(replies: list[dict]) -> str:
    """The first slot button's payload of these replies."""
    for reply in replies:
        for button in reply.get("buttons") or []:
            if not button["payload"].startswith('/inform{"lead_slot"'):
                continue
            value = json.loads(button["payload"].removeprefix("/inform")).get("lead_slot")
            if value not in (None, "more", "none"):
                return str(button["payload"])
    raise RuntimeError(f"no slot was offered: {replies}")


def book(assistant: Assistant, sender: str, index: int) -> tuple[float, float]:
    """One booking in French; (seconds of the slot-pick turn, seconds of the confirming turn)."""
    for message in ("Je voudrais parler à un consultant", "oui", "Camille Roy",
                    f"camille.roy.{index}@example.org"):
        assistant.say(sender, message)
    payload = slot_payload(assistant.say(sender, "passer"))
    started = time.perf_counter()
    assistant.say(sender, payload)
    pick = time.perf_counter() - started
    assistant.say(sender, '/inform{"lead_language": "fr"}')
    started = time.perf_counter()
    replies = assistant.say(sender, "oui")
    confirm = time.perf_counter() - started
    if not any("QP-" in (reply.get("text") or "") for reply in replies):
        raise RuntimeError(f"the booking was not saved: {replies}")
    return pick, confirm


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"| {label} | {len(ms)} | {statistics.median(ms):.0f} | {p95:.0f} | {max(ms):.0f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=20, help="bookings with SMTP up, and as many down")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-booking-") as folder:
        workdir = Path(folder)
        smtp_port = free_port()
        env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "SMTP_STARTTLS": "false",
               "LEADS_NOTIFY_EMAIL": "desk@example.org", "NOTIFY_RETRY_SECONDS": "1",
               "NOTIFY_MAX_ATTEMPTS": "30"}
        assistant = Assistant(workdir=workdir, env=env).start(timeout=START_TIMEOUT_SECONDS)
        worker = subprocess.Popen([str(VENV_BIN / "python"), "-m", "leads.delivery", "--interval", "0.5"],
                                  cwd=ROOT, env=assistant.settings, stdout=subprocess.DEVNULL,
                                  stderr=open(workdir / "delivery.log", "ab"))  # noqa: SIM115
        mail = workdir / "mail"
        sink = start_sink("127.0.0.1", smtp_port, mail)
        try:
            up = [book(assistant, f"bench-up-{i}", i) for i in range(args.bookings)]
            sink.stop()
            down = [book(assistant, f"bench-down-{i}", args.bookings + i) for i in range(args.bookings)]
            delivered_before = len(list(mail.glob("*.eml")))
            sink = start_sink("127.0.0.1", smtp_port, mail)
            deadline = time.monotonic() + DELIVERY_TIMEOUT_SECONDS
            expected = 4 * args.bookings  # the consultancy's email and the person's, for each booking
            while len(list(mail.glob("*.eml"))) < expected and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(3)  # anything sent twice would arrive now
            ids = [line for path in mail.glob("*.eml")
                   for line in path.read_text(errors="replace").splitlines()
                   if line.lower().startswith("message-id:")]
        finally:
            sink.stop()
            worker.terminate()
            worker.wait(timeout=20)
            assistant.stop()
    print(f"Booking turns over REST, {args.bookings} bookings each way (milliseconds):\n")
    print("| turn | n | p50 | p95 | max |\n|---|---|---|---|---|")
    print(summary("pick a slot, SMTP up", [pick for pick, _ in up]))
    print(summary("pick a slot, SMTP down", [pick for pick, _ in down]))
    print(summary("confirm, SMTP up", [confirm for _, confirm in up]))
    print(summary("confirm, SMTP down", [confirm for _, confirm in down]))
    print(f"\nEmails received while SMTP was up: {delivered_before} of {2 * args.bookings}; "
          f"after it came back: {len(ids)} of {expected}, {len(set(ids))} distinct Message-IDs.")
    return 0 if len(ids) == len(set(ids)) == expected else 1


if __name__ == "__main__":
    sys.exit(main())
