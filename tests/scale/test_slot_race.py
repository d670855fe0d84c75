"""Two people pick the last free slot at the same moment, each through a different Rasa server of the
scale-out profile (leads on PostgreSQL): one booking, and one polite new offer."""

from __future__ import annotations

import json
import threading
from typing import Any

import sqlalchemy as sa

from tests.scale.conftest import TrackerEvents
from tests.scale.test_scale_out import replies_text
from tests.servers import Assistant


def slot_payloads(replies: list[dict[str, Any]]) -> list[str]:
    """The slot buttons' values (a start time, "more" or "none") offered in these replies."""
    values = []
    for reply in replies:
        for button in reply.get("buttons") or []:
            if button["payload"].startswith('/inform{"lead_slot"'):
                values.append(json.loads(button["payload"].removeprefix("/inform"))["lead_slot"])
    return values


def test_two_people_racing_for_the_last_slot_end_with_one_booking_and_one_new_offer(
    cluster: Assistant, tracker: TrackerEvents, cluster_leads_url: str
) -> None:
    people = [(tracker.new_sender("race-a"), cluster.urls[0], "Ana Lima", "ana@example.org"),
              (tracker.new_sender("race-b"), cluster.urls[1], "Bo Chen", "bo@example.org")]
    offers = []
    for sender, url, name, email in people:
        for message in ("I'd like to book a call with a consultant", "yes", name, email):
            cluster.say(sender, message, url=url)
        offers.append(slot_payloads(cluster.say(sender, "skip", url=url)))
    starts = [[value for value in offer if value not in ("more", "none")] for offer in offers]
    assert len(starts[0]) == 1 and starts[0] == starts[1], offers  # one free slot, offered to both
    last = starts[0][0]

    answers: dict[str, list[dict[str, Any]]] = {}
    barrier = threading.Barrier(len(people))

    def pick(sender: str, url: str) -> None:
        barrier.wait()
        answers[sender] = cluster.say(sender, f'/inform{{"lead_slot":"{last}"}}', url=url)

    threads = [threading.Thread(target=pick, args=(sender, url)) for sender, url, *_ in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    said = {sender: replies_text(answers[sender]) for sender, *_ in people}
    winners = [sender for sender, text in said.items() if "In which language" in text]
    losers = [sender for sender, text in said.items() if "someone has just booked that time" in text]
    assert len(winners) == 1 and len(losers) == 1, said
    # The new offer: no slot is left, so the person is asked for a time in words.
    assert slot_payloads(answers[losers[0]]) == [] and "When would you prefer to be called" in said[losers[0]]

    urls = {sender: url for sender, url, *_ in people}
    for sender in (*winners, *losers):
        if sender in losers:
            cluster.say(sender, "weekday evenings, Lisbon time", url=urls[sender])
        cluster.say(sender, "English", url=urls[sender])
        assert "Your reference is" in replies_text(cluster.say(sender, "yes", url=urls[sender]))

    engine = sa.create_engine(cluster_leads_url)
    with engine.connect() as connection:
        booked = connection.execute(sa.text(
            "SELECT l.sender_id, a.starts_at FROM appointments a "
            "JOIN leads l ON l.reference = a.lead_reference"
        )).all()
        leads = connection.execute(sa.text("SELECT sender_id, preferred_time FROM leads")).all()
    engine.dispose()
    assert [row.sender_id for row in booked] == winners
    assert {row.sender_id for row in leads} == {winners[0], losers[0]}
    assert dict(leads)[losers[0]] == "weekday evenings, Lisbon time"
