"""Loads the program data file and answers "what was the value of KEY on DATE?".

Values are keyed by effective date (OpenFisca style) so a change at IRCC becomes a new dated entry,
and past assessments stay reproducible. The loader checks the whole file up front: a malformed file
fails at load with a DataFileError naming the file, the key and the problem, never later mid-chat.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from i18n.languages import SUPPORTED

from .assessment_models import CodedText, DatedValue, ProgramName, Reference, Text
from .engine_errors import DataFileError, UnknownKeyError, reject_unknown
from .rules import required_keys

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PROGRAM = DATA_DIR / "program.yaml"

CONFIDENCES: tuple[str, ...] = ("seed", "official", "secondary", "unsure")
VALUE_TYPES: tuple[str, ...] = ("integer", "text", "coded_text_list", "date", "event", "csq_program", "flag")
# `references` and `dates` only hold YAML anchors, so a page or a date shared by several facts is written
# once.
TOP_LEVEL: tuple[str, ...] = ("references", "dates", "source", "confirm_pages", "values")
KEY_FIELDS: tuple[str, ...] = ("description", "type", "values")
ENTRY_FIELDS: tuple[str, ...] = ("value", "reference", "last_checked", "confidence", "note")

# Keys the assistant and the engine read besides the rules' own, with the type each must have. A data file
# missing one fails at load. The rules' keys (rules.required_keys: each rule's source and one fact per value
# of some fields) are checked the same way.
REQUIRED_KEYS: dict[str, str] = {
    "program_name": "text",
    "announced": "event",
    "purpose": "text",
    "permit_type": "text",
    "validity_years": "integer",
    "legal_basis": "text",
    "how_to_apply": "text",
    "cap": "integer",
    "cap_counting": "text",
    "cap_quebec_wording": "text",
    "apply_before_or_after_pr": "text",
    "fee_work_permit": "integer",
    "fee_open_work_permit_holder": "integer",
    "fee_biometrics_person": "integer",
    "fee_biometrics_family": "integer",
    "spouse_work_permit": "text",
    "children_permits": "text",
    "processing_time": "text",
    "invitation_window_days": "integer",
    "invitation_selection": "text",
    "prtq_replaced_by_pstq": "event",
    "pstq_selection": "text",
    "quebec_page_programs": "text",
    "ai_pilot_closing": "date",
    "imp_plus_still_open": "text",
    "bowp_quebec": "text",
    "pnp_work_permit": "text",
    "public_policy_2026": "text",
    "pr_admissions_2021": "integer",
    "pr_admissions_2020": "integer",
}


class ProgramData:
    """The program's dated values, read-only once loaded."""

    def __init__(
        self,
        path: Path,
        source: Reference,
        confirm_pages: dict[str, Reference],
        histories: dict[str, tuple[DatedValue, ...]],
        types: dict[str, str],
        descriptions: dict[str, str],
    ) -> None:
        self.path = path
        self.source = source
        self.confirm_pages = confirm_pages  # name -> official page where a person can confirm a fact
        self._histories = histories
        self._dates: dict[str, list[date]] = {k: [e.effective for e in h] for k, h in histories.items()}
        self._types = types
        self._descriptions = descriptions
        self._contexts: dict[date, Any] = {}  # per-date engine contexts, filled by eligibility.dated_context

    def keys(self) -> tuple[str, ...]:
        """Every key in the file, in file order."""
        return tuple(self._histories)

    def __contains__(self, key: object) -> bool:
        return key in self._histories

    def type_of(self, key: str) -> str:
        """The declared type of a key (integer, text, coded_text_list, date, event)."""
        self._check_key(key)
        return self._types[key]

    def description(self, key: str) -> str:
        """What the key means, as written in the data file."""
        self._check_key(key)
        return self._descriptions[key]

    def history(self, key: str) -> list[DatedValue]:
        """Every dated entry of a key, oldest first."""
        self._check_key(key)
        return list(self._histories[key])

    def value(self, key: str, on: date) -> DatedValue:
        """The entry in force on a date. Its .value is None if nothing is in force then.

        Before the first entry the result carries the first entry's reference, so there is always a
        page to point to; its effective date is date.min and its until the day before the first entry.
        """
        self._check_key(key)
        on = as_date(on)
        i = bisect.bisect_right(self._dates[key], on) - 1
        history = self._histories[key]
        if i >= 0:
            return history[i]
        first = history[0]
        return DatedValue(
            key=key,
            value=None,
            effective=date.min,
            reference=first.reference,
            last_checked=first.last_checked,
            confidence=first.confidence,
            until=first.effective - timedelta(days=1),
            note=None,
        )

    def cap_for(self, on: date) -> DatedValue:
        """The yearly cap on IMP+ applications in force on a date."""
        return self.value("cap", on)

    def event_date(self, key: str, on: date) -> date | None:
        """The date a dated fact refers to: a date value (latest if none in force), else the day the key's
        first value took effect (an event's day, the day a program started)."""
        if self.type_of(key) == "date":
            current = self.value(key, on).value
            if current is not None:
                return current
            return next((e.value for e in reversed(self._histories[key]) if e.value is not None), None)
        return next((e.effective for e in self._histories[key] if e.value is not None), None)

    def due_for_check(self, on: date, older_than_days: int) -> list[DatedValue]:
        """The entries in force on a date whose last check is more than `older_than_days` days old."""
        cutoff = as_date(on) - timedelta(days=older_than_days)
        found = []
        for key in self._histories:
            entry = self.value(key, on)
            if entry.value is not None and entry.last_checked < cutoff:
                found.append(entry)
        return found

    def _check_key(self, key: str) -> None:
        if key not in self._histories:
            raise UnknownKeyError(f"unknown program key {key!r}")

    def __repr__(self) -> str:
        return f"ProgramData({str(self.path)!r}, {len(self._histories)} keys)"


def as_date(on: Any) -> date:
    """A plain date from a date or datetime; anything else is a caller bug."""
    if type(on) is date:
        return on
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return date(on.year, on.month, on.day)
    raise TypeError(f"expected a date, got {type(on).__name__}")


# ------------------------------------------------------------------------------------------------
# Loading and checking


_DEFAULT: ProgramData | None = None


def load_program(path: str | Path | None = None) -> ProgramData:
    """Load and check a program data file; the default file is loaded once and cached."""
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = _load(DEFAULT_PROGRAM)
        return _DEFAULT
    return _load(Path(path))


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: faster


class _Loader(_SafeLoader):  # type: ignore[valid-type, misc]
    """A safe loader that leaves dates as text, so a bad date is reported with its key, not as a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning every read or syntax problem into a DataFileError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except OSError as exc:
        raise DataFileError(path, "(file)", f"cannot read the file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(path, "(syntax)", f"invalid YAML{line}: {problem}") from exc


def _load(path: Path) -> ProgramData:
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "(top level)", "the file must hold a mapping with 'values'")
    for name in raw:
        if name not in TOP_LEVEL:
            expected = ", ".join(TOP_LEVEL)
            raise DataFileError(path, str(name), f"unknown top-level key; expected one of {expected}")
    if "source" not in raw:
        raise DataFileError(path, "source", "missing: the main official page of the program")
    source = parse_reference(path, "source", raw["source"])
    pages = raw.get("confirm_pages")
    if not isinstance(pages, dict) or not pages:
        raise DataFileError(path, "confirm_pages", "missing: the official pages where facts can be confirmed")
    confirm_pages = {
        str(name): parse_reference(path, f"confirm_pages.{name}", ref) for name, ref in pages.items()
    }
    values = raw.get("values")
    if not isinstance(values, dict) or not values:
        raise DataFileError(path, "values", "missing or empty: expected a mapping of keys")

    histories: dict[str, tuple[DatedValue, ...]] = {}
    types: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for key, spec in values.items():
        key = str(key)
        types[key], descriptions[key], histories[key] = _parse_key(path, key, spec)

    for key, kind in {**REQUIRED_KEYS, **required_keys()}.items():
        if key not in histories:
            raise DataFileError(path, key, "missing: the engine or the assistant reads this key")
        if types[key] != kind:
            raise DataFileError(path, f"{key}.type", f"must be {kind}, not {types[key]}")
    return ProgramData(path, source, confirm_pages, histories, types, descriptions)


def _parse_key(path: Path, key: str, spec: Any) -> tuple[str, str, tuple[DatedValue, ...]]:
    if not isinstance(spec, dict):
        raise DataFileError(path, key, "expected a mapping with description, type and values")
    reject_unknown(path, key, spec, KEY_FIELDS)
    kind = spec.get("type")
    if kind not in VALUE_TYPES:
        raise DataFileError(path, f"{key}.type", f"{kind!r} is not one of {', '.join(VALUE_TYPES)}")
    description = spec.get("description")
    if not isinstance(description, str) or not description.strip():
        raise DataFileError(path, f"{key}.description", "missing: say what the value means")
    entries = spec.get("values")
    if not isinstance(entries, dict) or not entries:
        raise DataFileError(path, f"{key}.values", "missing or empty: expected entries keyed by date")

    parsed: list[DatedValue] = []
    previous: date | None = None
    for raw_day, entry in entries.items():
        where = f"{key}.values.{raw_day}"
        day = parse_date(path, where, raw_day, "effective date")
        if previous is not None and day <= previous:
            raise DataFileError(path, where, f"dates must be in increasing order (comes after {previous})")
        previous = day
        parsed.append(_parse_entry(path, key, where, kind, day, entry))

    if parsed[0].value is None:
        raise DataFileError(path, f"{key}.values.{parsed[0].effective}", "the first entry cannot be null")
    # Each entry applies until the day before the next one.
    ended = [
        e if i + 1 == len(parsed) else replace(e, until=parsed[i + 1].effective - timedelta(days=1))
        for i, e in enumerate(parsed)
    ]
    return kind, description, tuple(ended)


def _parse_entry(path: Path, key: str, where: str, kind: str, day: date, entry: Any) -> DatedValue:
    if not isinstance(entry, dict):
        raise DataFileError(path, where, "expected a mapping with value, reference, last_checked, confidence")
    reject_unknown(path, where, entry, ENTRY_FIELDS)
    for name in ("reference", "last_checked", "confidence"):
        if name not in entry:
            raise DataFileError(path, f"{where}.{name}", "missing: every value needs one")
    confidence = entry["confidence"]
    if confidence not in CONFIDENCES:
        expected = ", ".join(CONFIDENCES)
        raise DataFileError(path, f"{where}.confidence", f"{confidence!r} is not one of {expected}")
    last_checked = parse_date(path, f"{where}.last_checked", entry["last_checked"], "date")

    if kind == "event":
        if "value" in entry and entry["value"] is not None:
            problem = "an event has no value (its date is the value); write null only to end it"
            raise DataFileError(path, f"{where}.value", problem)
        value: Any = None if "value" in entry else day
    else:
        if "value" not in entry:
            raise DataFileError(path, f"{where}.value", "missing (write null to end a value)")
        value = parse_value(path, f"{where}.value", kind, entry["value"])

    note = entry.get("note")
    return DatedValue(
        key=key,
        value=value,
        effective=day,
        reference=parse_reference(path, f"{where}.reference", entry["reference"]),
        last_checked=last_checked,
        confidence=confidence,
        until=None,
        note=None if note is None else parse_text(path, f"{where}.note", note),
    )


def parse_date(path: Path, where: str, raw: Any, what: str) -> date:
    """A date from YAML (a date, or an ISO string); anything else is reported."""
    if isinstance(raw, datetime):
        raise DataFileError(path, where, f"{what} must be a plain date (YYYY-MM-DD), not a timestamp")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise DataFileError(path, where, f"{raw!r} is not a valid {what} (YYYY-MM-DD)")


def parse_reference(path: Path, where: str, raw: Any) -> Reference:
    """A reference needs a title and an https address, or `url: null` for a source with no address of its
    own (the seed article): never another page's address. A source described rather than named may give its
    title as {en, fr}."""
    if not isinstance(raw, dict):
        raise DataFileError(path, where, "expected a mapping with title and url")
    reject_unknown(path, where, raw, ("title", "url"))
    if "url" not in raw:
        raise DataFileError(path, f"{where}.url", "missing: the page's https:// address, or null if none")
    title, url = raw.get("title"), raw.get("url")
    title_fr = None
    if isinstance(title, dict):
        text = parse_text(path, f"{where}.title", title)
        title, title_fr = text.en, text.fr
    if not isinstance(title, str) or not title.strip():
        raise DataFileError(path, f"{where}.title", "missing: name the page")
    if url is not None and (not isinstance(url, str) or not url.startswith("https://") or " " in url):
        raise DataFileError(path, f"{where}.url", f"{url!r} is not an https:// address")
    return Reference(title=title.strip(), url=url, title_fr=title_fr)


def parse_text(path: Path, where: str, raw: Any) -> Text:
    """A bilingual text: both en and fr, non-empty, nothing else."""
    if not isinstance(raw, dict):
        raise DataFileError(path, where, "expected a bilingual text {en: ..., fr: ...}")
    reject_unknown(path, where, raw, SUPPORTED, "language")
    for lang in SUPPORTED:
        if not isinstance(raw.get(lang), str) or not raw[lang].strip():
            raise DataFileError(path, f"{where}.{lang}", "missing or empty text")
    return Text(en=raw["en"].strip(), fr=raw["fr"].strip())


def parse_value(path: Path, where: str, kind: str, raw: Any) -> Any:
    """Check a value against its key's declared type; null ends a value."""
    if raw is None:
        return None
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise DataFileError(path, where, f"{raw!r} is not an integer")
        return raw
    if kind == "date":
        return parse_date(path, where, raw, "date")
    if kind == "text":
        text = parse_text(path, where, raw)
        if "{" in text.en + text.fr:
            raise DataFileError(path, where, "program texts take no {placeholders}; put them in texts.yaml")
        return text
    if kind == "coded_text_list":
        return _parse_coded_list(path, where, raw)
    if kind == "flag":
        if not isinstance(raw, bool):
            raise DataFileError(path, where, f"{raw!r} is not true or false")
        return raw
    if kind == "csq_program":
        if not isinstance(raw, Mapping) or not isinstance(raw.get("counts"), bool):
            raise DataFileError(path, where, "expected {counts: true|false, en: name, fr: name}")
        name = parse_text(path, where, {k: v for k, v in raw.items() if k != "counts"})
        return ProgramName(counts=raw["counts"], en=name.en, fr=name.fr)
    raise DataFileError(path, where, f"unknown type {kind!r}")  # pragma: no cover - types checked earlier


def _parse_coded_list(path: Path, where: str, raw: Any) -> tuple[CodedText, ...]:
    if not isinstance(raw, list) or not raw:
        raise DataFileError(path, where, "expected a non-empty list of {code, en, fr}")
    items = []
    for i, item in enumerate(raw):
        here = f"{where}[{i}]"
        if not isinstance(item, Mapping) or "code" not in item:
            raise DataFileError(path, here, "expected {code, en, fr}")
        code = item["code"]
        if not isinstance(code, str) or not code:
            raise DataFileError(path, f"{here}.code", f"{code!r} is not a code")
        text = parse_text(path, here, {k: v for k, v in item.items() if k != "code"})
        items.append(CodedText(code=code, en=text.en, fr=text.fr))
    return tuple(items)


def value(key: str, on: date) -> DatedValue:
    """The entry of KEY in force on a date, from the default data file."""
    return load_program().value(key, on)


def cap_for(on: date) -> DatedValue:
    """The yearly cap in force on a date, from the default data file."""
    return load_program().cap_for(on)
