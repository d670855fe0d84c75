"""Parts failing under a real assistant: the person is told, nothing is lost, and it carries on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import uuid
from pathlib import Path

import sqlalchemy as sa

from i18n.catalog import text
from tests.e2e.test_conversations import texts
from tests.servers import Assistant


def stop_action_server(assistant: Assistant) -> list[str]:
    """Kills the action server as a crash would; returns its command to start it again."""
    process = assistant.processes[0]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assistant.processes.remove(process)
    return [str(arg) for arg in process.args]


def start_action_server(assistant: Assistant, command: list[str]) -> None:
    log = open(assistant.workdir / "actions.log", "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2], env=assistant.settings,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    assistant.processes.insert(0, process)
    assistant.wait_ready(120)


def user_texts(assistant: Assistant, sender: str) -> list[str]:
    engine = sa.create_engine(assistant.env_value("TRACKER_DB_URL"))
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        )
        found = [json.loads(row.data)["text"] for row in rows]
    engine.dispose()
    return found


def test_action_server_down_gets_an_apology_in_each_language(assistant: Assistant) -> None:
    english, french = f"down-en-{uuid.uuid4().hex[:6]}", f"down-fr-{uuid.uuid4().hex[:6]}"
    assert "Where do you live" in texts(assistant.say(english, "am I eligible for IMP+?"))
    assert "Où habitez-vous" in texts(assistant.say(french, "Est-ce que je suis admissible au PMI+?"))
    command = stop_action_server(assistant)
    try:
        assert texts(assistant.say(english, "I live in Lyon, France")) == text("en", "guard.unavailable")
        assert texts(assistant.say(french, "J'habite à Lyon")) == text("fr", "guard.unavailable")
    finally:
        start_action_server(assistant, command)
    # Back: the conversations go on where they were (the question is asked again, nothing else is lost).
    assert "Selection Certificate" in texts(assistant.say(english, "I live in Lyon, France"))
    assert "CSQ" in texts(assistant.say(french, "J'habite à Lyon"))


def test_a_killed_rasa_server_resumes_the_form_with_the_same_answers(assistant: Assistant) -> None:
    sender = f"kill9-{uuid.uuid4().hex[:6]}"
    assistant.say(sender, "Bonjour, est-ce que je suis admissible au PMI+?")
    assistant.say(sender, "J'habite à Casablanca au Maroc")
    assert "programme" in texts(assistant.say(sender, "oui j'ai un CSQ"))
    assistant.kill_rasa(assistant.url, hard=True)
    assistant.start_rasa(assistant.rasa_port)
    assistant.wait_ready(180)
    reply = texts(assistant.say(sender, "le programme régulier des travailleurs qualifiés"))
    assert "valide" in reply, "the next question, in French: residence and CSQ were kept"
    assert user_texts(assistant, sender)[:3] == [
        "Bonjour, est-ce que je suis admissible au PMI+?",
        "J'habite à Casablanca au Maroc",
        "oui j'ai un CSQ",
    ]


def test_a_flooding_sender_is_told_and_limited_while_others_carry_on(assistant: Assistant) -> None:
    flooder, other = f"flood-{uuid.uuid4().hex[:6]}", f"calm-{uuid.uuid4().hex[:6]}"
    limit = int(assistant.env_value("FLOOD_MAX_MESSAGES"))
    replies: list[str] = []
    lock = threading.Lock()

    def flood(count: int) -> None:
        for index in range(count):
            reply = texts(assistant.say(flooder, f"what is IMP+ {index}"))
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=flood, args=(limit // 2,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    calm = texts(assistant.say(other, "What is IMP+?"))
    for thread in threads:
        thread.join(timeout=120)
    assert "open work permit" in calm
    told = [reply for reply in replies if reply == text("en", "guard.flood")]
    assert len(replies) == 3 * limit and len(told) == 2 * limit
    assert len(user_texts(assistant, flooder)) == limit, "refused messages are not processed or stored"
