"""The program data file: every value sourced and dated, lookups by date, and clear load errors."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from eligibility import (
    FIELD_VALUES,
    CodedText,
    DataFileError,
    DatedValue,
    ProgramData,
    Text,
    cap_for,
    load_program,
    value,
)
from eligibility.dated_context import Context
from eligibility.engine_errors import UnknownKeyError
from eligibility.program import DEFAULT_PROGRAM, REQUIRED_KEYS, read_yaml
from eligibility.rules import required_keys
from eligibility.wording import DEFAULT_TEXTS, load_texts
from tests.engine.conftest import REPO


def all_entries(program: ProgramData) -> list[DatedValue]:
    return [entry for key in program.keys() for entry in program.history(key)]


def test_every_value_has_a_reference_a_check_date_and_a_confidence(program: ProgramData) -> None:
    """Each value carries its own last check (its age never fails a test: `facts --older-than` tells)."""
    for entry in all_entries(program):
        assert entry.reference.title.strip(), entry.key
        assert entry.reference.url is None or re.fullmatch(r"https://[^\s]+", entry.reference.url), entry.key
        assert isinstance(entry.last_checked, dt.date), entry.key
        assert entry.confidence in ("seed", "official", "secondary", "unsure"), entry.key


def test_official_facts_cite_official_pages(program: ProgramData) -> None:
    official = ("https://www.canada.ca/", "https://ircc.canada.ca/", "https://www.quebec.ca/")
    for entry in all_entries(program):
        if entry.confidence == "official":
            assert entry.reference.url is not None and entry.reference.url.startswith(official), entry.key


def test_the_seed_article_is_cited_as_itself(program: ProgramData) -> None:
    """The seed has no address: never shown under another page's (a canada.ca page it does not quote)."""
    seeds = [e for e in all_entries(program) if e.confidence == "seed"]
    assert seeds
    for entry in seeds:
        assert entry.reference.url is None, entry.key
        assert "Open Work Permit for Quebec Skilled Workers" in entry.reference.title, entry.key


# FACTS.md's confidence for each fact (a value with two labels "a / b" takes the weaker; "seed, official"
# means both sources agree: official).
FACTS_CONFIDENCE = {
    "program_name": "official", "announced": "seed", "purpose": "seed", "permit_type": "official",
    "validity_years": "official", "legal_basis": "official", "how_to_apply": "official", "cap": "official",
    "cap_counting": "secondary", "cap_quebec_wording": "unsure", "rule_outside_quebec": "official",
    "rule_has_csq": "official", "rule_csq_program": "official", "rule_invitation": "official",
    "rule_complete_application": "seed", "rule_no_pr_decision": "official", "rule_csq_valid": "official",
    "apply_before_or_after_pr": "secondary", "rule_can_apply_from_canada": "secondary",
    "invitation_window_days": "unsure", "invitation_selection": "unsure", "fee_work_permit": "official",
    "fee_open_work_permit_holder": "official", "fee_biometrics_person": "official",
    "fee_biometrics_family": "official", "spouse_work_permit": "secondary", "children_permits": "secondary",
    "processing_time": "unsure", "prtq_replaced_by_pstq": "secondary", "pstq_selection": "secondary",
    "peq_suspended": "secondary", "quebec_page_programs": "official", "ai_pilot_closing": "official",
    "imp_plus_still_open": "unsure", "csq_program_pstq": "unsure", "csq_program_peq": "official",
    "csq_program_regular_skilled_worker": "official", "csq_program_ai_it_vfx_pilot": "official",
    "bowp_quebec": "official", "pnp_work_permit": "official", "public_policy_2026": "official",
    "pr_admissions_2021": "seed", "pr_admissions_2020": "seed",
}


def test_confidence_labels_match_facts_md(program: ProgramData) -> None:
    for key, confidence in FACTS_CONFIDENCE.items():
        assert {e.confidence for e in program.history(key)} == {confidence}, key


def test_dates_are_ordered_and_each_entry_ends_the_day_before_the_next(program: ProgramData) -> None:
    for key in program.keys():
        history = program.history(key)
        assert [e.effective for e in history] == sorted({e.effective for e in history}), key
        for current, following in zip(history, history[1:], strict=False):
            assert current.until == following.effective - dt.timedelta(days=1), key
        assert history[-1].until is None, key


def test_caps_by_year() -> None:
    assert cap_for(dt.date(2022, 6, 1)).value == 14_700
    assert cap_for(dt.date(2022, 12, 31)).value == 14_700
    assert cap_for(dt.date(2023, 1, 1)).value == 7_350
    assert cap_for(dt.date(2024, 6, 1)).value == 7_350
    assert value("cap", dt.date(2024, 6, 1)) == load_program().cap_for(dt.date(2024, 6, 1))


def test_before_the_first_entry_nothing_is_in_force_but_the_source_is_kept() -> None:
    early = value("cap", dt.date(2021, 6, 1))
    assert early.value is None
    assert early.until == dt.date(2021, 12, 31)
    assert early.reference == load_program().history("cap")[0].reference


def test_the_2026_public_policy_window() -> None:
    assert value("public_policy_2026", dt.date(2026, 3, 12)).value is None
    start = value("public_policy_2026", dt.date(2026, 3, 13))
    assert isinstance(start.value, Text) and start.until == dt.date(2026, 12, 31)
    assert value("public_policy_2026", dt.date(2026, 12, 31)).value is not None
    ended = value("public_policy_2026", dt.date(2027, 1, 1))
    assert ended.value is None and ended.reference.url.startswith("https://www.canada.ca/")


def test_dated_facts() -> None:
    on = dt.date(2026, 11, 24)
    assert value("prtq_replaced_by_pstq", on).value == dt.date(2024, 11, 29)
    assert value("prtq_replaced_by_pstq", dt.date(2024, 11, 28)).value is None
    assert value("prtq_replaced_by_pstq", on).confidence == "secondary"
    assert value("ai_pilot_closing", dt.date(2025, 1, 1)).value == dt.date(2026, 1, 1)
    assert value("announced", on).value.year == 2022
    assert value("csq_program_pstq", dt.date(2024, 11, 28)).value is None
    assert value("csq_program_pstq", dt.date(2024, 11, 29)).effective == dt.date(2024, 11, 29)
    assert "Sean Fraser" in value("announced", on).note.en


@pytest.mark.parametrize(
    ("key", "expected"),
    [("validity_years", 3), ("fee_work_permit", 155), ("fee_open_work_permit_holder", 100),
     ("fee_biometrics_person", 85), ("fee_biometrics_family", 170), ("invitation_window_days", 90),
     ("pr_admissions_2021", 25_000), ("pr_admissions_2020", 12_000)],
)
def test_numbers_are_numbers(key: str, expected: int) -> None:
    found = value(key, dt.date(2026, 11, 24)).value
    assert found == expected and type(found) is int


def test_the_keys_the_assistant_reads_exist_with_their_types(program: ProgramData) -> None:
    on = dt.date(2026, 6, 1)  # inside the public policy window, so every key has a value
    for key, kind in {**REQUIRED_KEYS, **required_keys()}.items():
        assert program.type_of(key) == kind
        found = program.value(key, on).value
        assert found is not None, key
        if kind == "text":
            assert isinstance(found, Text) and found.en and found.fr, key
        if kind == "coded_text_list":
            assert all(isinstance(item, CodedText) for item in found), key
    counting = {code for code in FIELD_VALUES["csq_program"]
                if value(f"csq_program_{code}", on).value.counts
                and value(f"csq_program_{code}", on).confidence != "unsure"}
    assert counting == {"regular_skilled_worker", "ai_it_vfx_pilot"}  # the two programs IMP+ names
    assert value("imp_plus_still_open", on).confidence == "unsure"
    assert value("cap_quebec_wording", on).confidence == "unsure"
    assert value("invitation_window_days", on).confidence == "unsure"
    assert value("processing_time", on).confidence == "unsure"
    assert "A76" in value("legal_basis", on).value.en and "205(a)" in value("legal_basis", on).value.en


def test_unknown_key_is_reported() -> None:
    with pytest.raises(UnknownKeyError, match="nope"):
        value("nope", dt.date(2026, 1, 1))


def test_no_program_number_is_written_in_code_or_texts(program: ProgramData) -> None:
    """Facts live once, in program.yaml: code and texts name them by key."""
    numbers = {e.value for e in all_entries(program) if isinstance(e.value, int) and e.value >= 10}
    separator = "[, \u00a0\u202f]?"
    spelled = {n: re.compile(rf"(?<![\d.]){n:,}(?![\d])|(?<![\d.]){n}(?![\d])".replace(",", separator))
               for n in numbers}
    sources = [*(REPO / "eligibility").glob("*.py"), DEFAULT_TEXTS]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for n, pattern in spelled.items():
            assert not pattern.search(text), f"{n} written in {path.name}"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", DEFAULT_TEXTS.read_text(encoding="utf-8"))


# -------------------------------------------------------------------------------------------------
# Malformed files fail at load, naming the file and the key


def _raw(path: Path = DEFAULT_PROGRAM) -> dict[str, Any]:
    """The file as plain data, with YAML anchors copied apart so one edit changes one place."""
    return json.loads(json.dumps(read_yaml(path)))


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _set(data: dict[str, Any], dotted: str, new: Any) -> dict[str, Any]:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    index: Any = int(last) if isinstance(node, list) else last
    if new is _DELETE:
        del node[index]
    else:
        node[index] = new
    return data


_DELETE = object()

MUTATIONS: list[tuple[str, Any, str]] = [
    ("values.cap.values.2023-01-01.reference.url", "http://example.com",
     "cap.values.2023-01-01.reference.url"),
    ("values.cap.values.2023-01-01.reference.title", "", "cap.values.2023-01-01.reference.title"),
    ("values.cap.values.2023-01-01.value", "7350", "cap.values.2023-01-01.value"),
    ("values.cap.values.2023-01-01.confidence", "sure", "cap.values.2023-01-01.confidence"),
    ("values.cap.values.2023-01-01.last_checked", _DELETE, "cap.values.2023-01-01.last_checked"),
    ("values.cap.values.2023-01-01.last_checked", "yesterday", "cap.values.2023-01-01.last_checked"),
    ("values.cap.values.2023-01-01.source", "x", "cap.values.2023-01-01.source"),
    ("values.permit_type.values.2022-05-24.value.fr", _DELETE, "permit_type.values.2022-05-24.value.fr"),
    ("values.validity_years", _DELETE, "validity_years"),
    ("values.cap.type", "number", "cap.type"),
    ("values.cap.type", "text", "cap.values.2022-01-01.value"),
    ("values.cap.description", _DELETE, "cap.description"),
    ("values.public_policy_2026.values.2026-03-13.value", None,
     "public_policy_2026.values.2026-03-13"),
    ("values.csq_program_peq.values.2022-05-24.value.counts", "no",
     "csq_program_peq.values.2022-05-24.value"),
    ("values.csq_program_peq", _DELETE, "csq_program_peq"),
    ("values.apply_from_within_canada_visitor.values.2022-05-24.value", "maybe",
     "apply_from_within_canada_visitor.values.2022-05-24.value"),
    ("values.cap.values.2023-01-01.reference.url", _DELETE, "cap.values.2023-01-01.reference.url"),
    ("confirm_pages", _DELETE, "confirm_pages"),
    ("values.permit_type.values.2022-05-24.value.en", "See {cap}", "permit_type.values.2022-05-24.value"),
    ("source", _DELETE, "source"),
    ("colour", "blue", "colour"),
]


@pytest.mark.parametrize(("where", "new", "key"), MUTATIONS, ids=[m[2] for m in MUTATIONS])
def test_malformed_program_names_file_and_key(tmp_path: Path, where: str, new: Any, key: str) -> None:
    path = _write(tmp_path, _set(_raw(), where, new))
    with pytest.raises(DataFileError) as caught:
        load_program(path)
    message = str(caught.value)
    assert str(path) in message and key in message, message
    assert caught.value.key == key


def _edit_text(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(edit(DEFAULT_PROGRAM.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_dates_out_of_order_are_reported(tmp_path: Path) -> None:
    original = DEFAULT_PROGRAM.read_text(encoding="utf-8")
    first = original.index("      2022-01-01:\n        value: 14700")
    second = original.index("      2023-01-01:\n        value: 7350")
    end = original.index("\n\n", second)
    moved = original[first:second].rstrip("\n")
    swapped = original[:first] + original[second:end] + "\n" + moved + original[end:]
    path = tmp_path / "program.yaml"
    path.write_text(swapped, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"cap\.values\.2022-01-01: dates must be in increasing order"):
        load_program(path)


def test_impossible_date_is_reported_with_its_key(tmp_path: Path) -> None:
    path = _edit_text(tmp_path, lambda s: s.replace("      2023-01-01:\n        value: 7350",
                                                    "      2023-02-30:\n        value: 7350"))
    with pytest.raises(DataFileError, match=r"cap\.values\.2023-02-30: '2023-02-30' is not a valid"):
        load_program(path)


def test_yaml_syntax_error_is_reported(tmp_path: Path) -> None:
    path = _edit_text(tmp_path, lambda s: s.replace("values:\n  # --- The program", "values:\n  [oops\n"))
    with pytest.raises(DataFileError, match=r"\(syntax\): invalid YAML at line"):
        load_program(path)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"missing\.yaml: \(file\): cannot read"):
        load_program(tmp_path / "missing.yaml")


TEXT_MUTATIONS: list[tuple[str, Any, str]] = [
    ("criteria.csq_valid.met_pr_filed.fr", _DELETE, "criteria.csq_valid.met_pr_filed.fr"),
    ("criteria.csq_valid.surprise", {"en": "a", "fr": "b"}, "criteria.csq_valid.surprise"),
    ("criteria.eligible_program.met_ai_it_vfx_pilot.switch", "no_such_key",
     "criteria.eligible_program.met_ai_it_vfx_pilot.switch"),
    ("criteria.has_csq.met.en", "See {no_such_key}", "criteria.has_csq.met.en"),
    ("criteria.has_csq.met.en", "See {cap.colour}", "criteria.has_csq.met.en"),
    ("criteria.has_csq.met.en", "See {cap", "criteria.has_csq.met.en"),
    ("criteria.has_csq.met.en", "Up to {cap}", "criteria.has_csq.met"),
    ("alternatives.pnp.source", "no_such_key", "alternatives.pnp.source"),
    ("alternatives.get_csq_first.switch", "no_such_key", "alternatives.get_csq_first.switch"),
    ("caveats.invitation_window", _DELETE, "caveats.invitation_window"),
]


@pytest.mark.parametrize(("where", "new", "key"), TEXT_MUTATIONS, ids=[m[0] for m in TEXT_MUTATIONS])
def test_malformed_texts_name_file_and_key(tmp_path: Path, where: str, new: Any, key: str) -> None:
    data = _set(_raw(DEFAULT_TEXTS), where, new)
    path = tmp_path / "texts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_texts(load_program(), path)
    assert str(path) in str(caught.value) and caught.value.key == key, str(caught.value)


def test_a_reason_the_data_makes_possible_is_required(tmp_path: Path) -> None:
    """Which outcomes occur depends on the data (an unsure fact gives "unsure_*"), so a missing reason is
    reported when a date needs it, with its key."""
    data = _set(_raw(DEFAULT_TEXTS), "criteria.eligible_program.unsure_pstq", _DELETE)
    path = tmp_path / "texts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    program = load_program()
    with pytest.raises(DataFileError) as caught:
        Context(program, load_texts(program, path), dt.date(2026, 11, 29))
    assert caught.value.key == "criteria.eligible_program.unsure_pstq", str(caught.value)


def test_a_copied_data_file_loads_like_the_original(tmp_path: Path) -> None:
    copy = tmp_path / "program.yaml"
    shutil.copy(DEFAULT_PROGRAM, copy)
    loaded = load_program(copy)
    assert loaded.keys() == load_program().keys()
    assert loaded.value("cap", dt.date(2024, 1, 1)) == load_program().value("cap", dt.date(2024, 1, 1))
