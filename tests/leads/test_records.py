"""NewLead's checks, the screening summary, references."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from eligibility import Profile, assess
from leads import LeadInputError, NewLead, new_reference, normalise_reference, screening_summary
from leads.records import Lead
from leads.reference import ALPHABET
from tests.leads.conftest import new_lead

ANSWERS = {"full_name": "Amine Benali", "email": "amine.benali@exemple.dz", "language": "fr",
           "consent_text": "J'accepte d'être contacté."}


def code_of(**changes: object) -> str:
    with pytest.raises(LeadInputError) as caught:
        new_lead(**changes)
    return caught.value.code


def test_new_lead_normalises_again() -> None:
    lead = new_lead(email="  Marie@EXAMPLE.com", full_name=" Marie   O’Neil", phone="+33 6 12 34 56 78",
                    phone_typed=None, time_zone="europe/paris")
    assert (lead.email, lead.full_name) == ("Marie@example.com", "Marie O'Neil")
    assert (lead.phone, lead.phone_typed) == ("+33612345678", "+33 6 12 34 56 78")
    assert lead.time_zone == "Europe/Paris"


@pytest.mark.parametrize(("changes", "code"), [
    ({"consent_text": ""}, "consent_missing"),
    ({"consent_text": "   "}, "consent_missing"),
    ({"language": "de"}, "language_unknown"),
    ({"email": "nope"}, "email_missing_at"),
    ({"full_name": "x"}, "name_too_short"),
    ({"phone": "06 12 34 56 78"}, "phone_needs_country"),  # stored numbers are E.164
    ({"time_zone": "Mars/Olympus"}, "time_zone_unknown"),
    ({"preferred_time": "x" * 201}, "time_too_long"),
    ({"sender_id": ""}, "sender_id_invalid"),
])
def test_new_lead_refuses(changes: dict[str, object], code: str) -> None:
    assert code_of(**changes) == code


def test_consent_time_must_be_aware() -> None:
    with pytest.raises(ValueError):
        new_lead(consent_at=datetime(2026, 1, 1))
    assert new_lead(consent_at=datetime(2026, 1, 1, tzinfo=timezone.utc)).consent_at is not None


def test_screening_summary_from_objects_and_dicts() -> None:
    profile = Profile(residence="abroad", has_csq=True, csq_program="regular_skilled_worker", csq_valid=True,
                      pr_applied=True, pr_decision="none", has_invitation=True, application_complete=True)
    assessment = assess(profile, date(2026, 11, 24))
    summary = screening_summary(profile, assessment)
    assert summary == screening_summary(profile.known(), assessment.to_dict())
    assert summary["verdict"] == "eligible" and summary["on"] == "2026-11-24"
    assert summary["profile"]["csq_program"] == "regular_skilled_worker"
    criterion = summary["criteria"][0]
    assert set(criterion) == {"id", "kind", "status", "reason", "source"}
    assert criterion["reason"]["fr"] and criterion["source"].startswith("https://")
    assert screening_summary() == {}


def test_lead_to_dict() -> None:
    moment = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
    lead = Lead("QP-2222-2222", moment, "Awa Diop", "awa@exemple.sn", None, None, "", None, "fr", "Oui",
                moment, "chat-1", {"verdict": "not_yet"})
    data = lead.to_dict()
    assert data["created_at"] == "2026-11-24T15:00:00Z" and data["consent"] == {"text": "Oui",
                                                                                "at": "2026-11-24T15:00:00Z"}
    assert data["sender_id"] == "chat-1" and "sender_id" not in lead.to_dict(include_sender=False)
    assert lead.verdict == "not_yet"


def test_references() -> None:
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    for reference in references:
        assert reference.startswith("QP-") and len(reference) == 12
        assert set(reference[3:].replace("-", "")) <= set(ALPHABET)
    assert not set("01OIL U") & set(ALPHABET)
    assert normalise_reference("QP-7K4Q-2M9X") == "QP-7K4Q-2M9X"
    assert normalise_reference(" qp 7k4q 2m9x ") == "QP-7K4Q-2M9X"
    assert normalise_reference("7K4Q2M9X") == "QP-7K4Q-2M9X"
    for bad in ("", "QP-7K4Q-2M9", "QP-7K4Q-2M9XX", "QP-0K4Q-2M9X", "QP-OK4Q-2M9X", "hello"):
        assert normalise_reference(bad) is None


def test_new_lead_is_frozen() -> None:
    lead: NewLead = new_lead()
    with pytest.raises(AttributeError):
        lead.email = "x@example.com"  # type: ignore[misc]
