"""Email, phone, name and region validators: pure functions, codes instead of sentences, no network."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leads import LeadInputError, validate_email, validate_full_name, validate_phone
from leads.phones import home_region
from places.lookup import place_in_text, place_named


def code_of(call: object, *args: object) -> str:
    with pytest.raises(LeadInputError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.code


# --- email --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("marie.tremblay@example.com", "marie.tremblay@example.com"),
    ("  Marie.Tremblay@EXAMPLE.COM ", "Marie.Tremblay@example.com"),  # domain lower-cased, local part kept
    ("jean-luc+pmi@sous.domaine.qc.ca", "jean-luc+pmi@sous.domaine.qc.ca"),
    ("josé.garcía@correo.es", "josé.garcía@correo.es"),  # internationalised local part
    ("amine@exemple.dz", "amine@exemple.dz"),
    ("用户@例子.广告", "用户@例子.广告"),  # Unicode local part and domain
    ("mailto:awa.diop@exemple.sn", "awa.diop@exemple.sn"),
    ("<o'neil@example.org>", "o'neil@example.org"),
    ("x@bücher.de", "x@bücher.de"),
])
def test_good_emails_are_normalised(typed: str, stored: str) -> None:
    assert validate_email(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("", "email_empty"),
    ("   ", "email_empty"),
    ("marie.tremblay.example.com", "email_missing_at"),
    ("marie tremblay@example.com", "email_invalid"),  # space
    ("marie@exa mple.com", "email_invalid"),
    ("marie@example.com.", "email_invalid"),  # trailing dot
    ("marie.@example.com", "email_invalid"),
    ("marie@@example.com", "email_invalid"),
    ("@example.com", "email_invalid"),
    ("marie@", "email_invalid"),
    ("marie@localhost", "email_invalid"),  # no dot in the domain
    ("marie@example", "email_invalid"),
    ("marie@-example.com", "email_invalid"),
    ("a" * 250 + "@example.com", "email_too_long"),
])
def test_bad_emails_have_a_code(typed: str, code: str) -> None:
    assert code_of(validate_email, typed) == code


def test_email_error_does_not_quote_the_address() -> None:
    with pytest.raises(LeadInputError) as caught:
        validate_email("secret person@example.com")
    assert "secret" not in str(caught.value) and caught.value.__cause__ is None


# --- phone ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "region", "e164"), [
    ("(514) 872-0311", "CA", "+15148720311"),
    ("514.872.0311", "CA", "+15148720311"),
    ("+1 514 872 0311", None, "+15148720311"),
    ("1-514-872-0311", "CA", "+15148720311"),
    ("06 12 34 56 78", "FR", "+33612345678"),
    ("+33 6 12 34 56 78", None, "+33612345678"),
    ("0033 6 12 34 56 78", None, "+33612345678"),
    ("0033612345678", "FR", "+33612345678"),
    ("0551 23 45 67", "DZ", "+213551234567"),
    ("+213 551 23 45 67", None, "+213551234567"),
    ("20 123 456", "TN", "+21620123456"),
    ("+216 20 123 456", "CA", "+21620123456"),  # "+" wins over the guessed region
    ("0612-345678", "MA", "+212612345678"),
    ("+212 6 12 34 56 78", None, "+212612345678"),
    ("77 123 45 67", "SN", "+221771234567"),
    ("+221771234567", None, "+221771234567"),
    ("(201) 555-0123", "US", "+12015550123"),
    ("+1 201-555-0123", None, "+12015550123"),
])
def test_phones_from_several_countries(typed: str, region: str | None, e164: str) -> None:
    phone = validate_phone(typed, region)
    assert phone.e164 == e164
    assert phone.typed == typed


def test_phone_keeps_what_was_typed_and_its_country() -> None:
    phone = validate_phone("  06 12 34 56 78 ", "FR")
    assert (phone.typed, phone.region) == ("06 12 34 56 78", "FR")
    assert validate_phone("+221 77 123 45 67").region == "SN"


@pytest.mark.parametrize(("typed", "region", "code"), [
    ("", "CA", "phone_empty"),
    ("no phone", "CA", "phone_not_a_number"),
    ("call me", None, "phone_not_a_number"),
    ("06 12 34 56 78", None, "phone_needs_country"),  # no "+" and no idea where they live
    ("514 872", "CA", "phone_too_short"),
    ("+1 514 872 0311 0311 0311", None, "phone_too_long"),
    ("+999 123 456 789", None, "phone_country_code"),
    ("(123) 456-7890", "CA", "phone_invalid"),  # a possible length, no such area code
    ("06 12 34 56 78", "CA", "phone_invalid"),  # a French mobile read in Canada
    ("1" * 70, "CA", "phone_not_a_number"),
])
def test_bad_phones_have_a_code(typed: str, region: str | None, code: str) -> None:
    assert code_of(validate_phone, typed, region) == code


# --- region from where the person lives -------------------------------------------------------------

@pytest.mark.parametrize(("place", "residence", "region"), [
    (None, "quebec", "CA"),
    (None, "other_province", "CA"),
    ("Paris, France", "abroad", "FR"),
    ("Dakar, Senegal", None, "SN"),
    ("Sherbrooke, Québec", None, "CA"),
    ("outside Canada", "abroad", None),  # a phrase: no country
    (None, None, None),
    (None, "abroad", None),
])
def test_home_region(place: str | None, residence: str | None, region: str | None) -> None:
    """The extractor's place (an index entry, looked up here by its display name) gives the region."""
    assert home_region(place_named(place), residence) == region


def test_home_region_reads_a_local_number() -> None:
    oran = place_in_text("Oran, Algérie")
    assert validate_phone("0551 23 45 67", home_region(oran)).e164 == "+213551234567"
    assert validate_phone("514 872-0311", home_region(None, "quebec")).e164 == "+15148720311"


# --- full name -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("Marie-Ève Tremblay", "Marie-Ève Tremblay"),
    ("  Jean   O’Neil ", "Jean O'Neil"),  # spaces collapsed, typographic apostrophe made plain
    ("Awa Diop", "Awa Diop"),
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("Zoë d'Artagnan-Côté", "Zoë d'Artagnan-Côté"),
    ("J. Tremblay", "J. Tremblay"),
    ("Jean St. Pierre", "Jean St. Pierre"),
    ("محمد علي", "محمد علي"),
    ("李小龍", "李小龍"),
    ("Al", "Al"),
    ("A" * 100, "A" * 100),
])
def test_good_names(typed: str, stored: str) -> None:
    assert validate_full_name(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("", "name_empty"),
    ("  ", "name_empty"),
    ("A", "name_too_short"),
    ("A" * 101, "name_too_long"),
    ("marie@example.com", "name_is_email"),
    ("+1 514 872 0311", "name_is_phone"),
    ("514-872-0311", "name_is_phone"),
    ("Marie2 Tremblay", "name_characters"),
    ("Marie_Tremblay", "name_characters"),
    ("-Marie", "name_characters"),
    ("Marie--Ève", "name_characters"),
    ("Marie-", "name_characters"),
    ("Marie <script>", "name_characters"),
    ("Dr.Who", "name_characters"),
    ("'; DROP TABLE leads; --", "name_characters"),
])
def test_bad_names(typed: str, code: str) -> None:
    assert code_of(validate_full_name, typed) == code


@given(st.text(max_size=120))
def test_validators_only_raise_lead_input_errors(text: str) -> None:
    """Whatever a person types, the assistant gets a value or a code, never a crash."""
    for call in (validate_email, validate_full_name, lambda t: validate_phone(t, "CA")):
        try:
            call(text)
        except LeadInputError:
            pass
