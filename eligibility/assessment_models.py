"""The data shapes the engine reads and returns.

The profile is untrusted input (JSON, chat slots), so it is a pydantic 1.10 model built from the field
declaration (eligibility/fields.py) and validated on construction. Everything else is built by the engine
itself from checked data files, so it is a plain frozen dataclass: immutable, hashable, and shared between
assessments without validating new ones on every call.
"""

from __future__ import annotations

from dataclasses import dataclass, is_dataclass
from datetime import date
from typing import Any, Literal, Optional

from i18n.languages import SUPPORTED

from ._pydantic import BaseModel, Extra, StrictBool, create_model
from .fields import BOOL, FIELD_SPECS

# "unsure": met or unmet according to a fact the data marks as unsure, so it could not be confirmed.
Status = Literal["met", "unmet", "unknown", "unsure"]
# "unconfirmed": nothing rules the person out, but a criterion could not be confirmed.
Verdict = Literal["eligible", "not_eligible", "not_yet", "need_more_info", "unconfirmed"]
Confidence = Literal["seed", "official", "secondary", "unsure"]
Kind = Literal["hard", "step"]

_frozen = dataclass(frozen=True)  # immutable and hashable: results are shared between assessments


@_frozen
class Text:
    """A text in English and French: the assistant answers in the person's language."""

    en: str
    fr: str

    def in_(self, lang: str) -> str:
        """The text in one language ("en" or "fr")."""
        if lang == "en":
            return self.en
        if lang == "fr":
            return self.fr
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(SUPPORTED)}")


@_frozen
class CodedText(Text):
    """A bilingual name that also carries a code (e.g. a Quebec program)."""

    code: str


@_frozen
class ProgramName(Text):
    """A Quebec program that issues CSQs: its name, and whether its CSQ counts for IMP+ (as the data says,
    with the confidence of its entry)."""

    counts: bool


@_frozen
class Reference:
    """Where a fact comes from, so every statement can point to its source.

    ``url`` is None for a source with no address of its own (the seed article is cited as itself).
    ``title_fr`` is the title in French where the source is described rather than named by its own title.
    """

    title: str
    url: str | None = None
    title_fr: str | None = None

    def title_in(self, lang: str) -> str:
        """The title to show in a message in `lang`."""
        return self.title_fr if lang == "fr" and self.title_fr else self.title


@_frozen
class DatedValue:
    """One value of the program data as in force on a date, with its source and how sure we are of it.

    ``value`` is None when nothing is in force on that date (before the first entry, or after a lapse).
    ``until`` is the last day the value applies, or None when no later entry ends it.
    """

    key: str
    value: Any
    effective: date
    reference: Reference
    last_checked: date
    confidence: Confidence
    until: date | None = None
    note: Text | None = None


def _answer_type(values: tuple) -> Any:
    """A yes / no field takes real bools only; any other field, one of its values."""
    return StrictBool if values == BOOL else Literal[values]


class _ProfileConfig:
    frozen = True  # immutable and hashable
    extra = Extra.forbid  # an unknown field is an error, not silently dropped


# Its fields, one per declared profile field, all optional: None means "unknown".
_ProfileFields = create_model(  # type: ignore[call-overload]
    "_ProfileFields",
    __config__=_ProfileConfig,
    **{f.name: (Optional[_answer_type(f.values)], None) for f in FIELD_SPECS},  # noqa: UP007 - pydantic 1
)


class Profile(_ProfileFields):  # type: ignore[valid-type, misc]
    """What the person told us; every field is optional and None means "unknown".

    Unknown fields and values outside eligibility.fields raise a pydantic ValidationError (a ValueError);
    eligibility.profile_input turns that into one line for the command line and the assistant.
    """

    def known(self) -> dict[str, Any]:
        """Only the fields the person answered."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@_frozen
class Source:
    """One program fact a statement relies on: where it comes from, when it was last checked, how sure."""

    key: str
    reference: Reference
    last_checked: date
    confidence: Confidence


@_frozen
class Criterion:
    """The outcome of one eligibility rule for this person, with a plain reason and its sources.

    ``sources`` holds every program fact behind the outcome and its reason: the fact that decided it
    first (the rule's own program value when no other fact was read); ``reference`` is that first one.
    """

    id: str
    kind: Kind
    status: Status
    reason: Text
    reference: Reference
    fields: tuple[str, ...]
    sources: tuple[Source, ...]


@_frozen
class Note:
    """An alternative route or a caveat shown with the result; ``sources`` are the facts its text uses,
    the one backing it first (``reference``, ``confidence`` and ``last_checked`` are that one's)."""

    id: str
    text: Text
    reference: Reference
    confidence: Confidence
    last_checked: date
    sources: tuple[Source, ...]


@_frozen
class Assessment:
    """A pre-screening result: the verdict, why, what to ask next, and what else to consider."""

    on: date
    verdict: Verdict
    criteria: tuple[Criterion, ...]
    next_question: str | None
    alternatives: tuple[Note, ...]
    caveats: tuple[Note, ...]
    # Whether IMP+ is still current could not be confirmed: every result says so (None on dates before that
    # doubt arose).
    program_status: Note | None
    cap: DatedValue
    last_checked: date
    source: Reference

    def criterion(self, criterion_id: str) -> Criterion:
        """One criterion by id."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """A JSON-ready dict; with lang "en" or "fr" every bilingual text becomes a plain string."""
        if lang is not None and lang not in SUPPORTED:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(SUPPORTED)}")
        return jsonable(self, lang)


def jsonable(obj: Any, lang: str | None = None) -> Any:
    """Turn models, dates and tuples into JSON types; bilingual texts collapse to one language if asked."""
    if isinstance(obj, Text):
        if lang is not None:
            return obj.in_(lang)
        return {k: v for k, v in obj.__dict__.items()}
    if isinstance(obj, BaseModel) or is_dataclass(obj):
        return {k: jsonable(v, lang) for k, v in obj.__dict__.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [jsonable(v, lang) for v in obj]
    if isinstance(obj, dict):
        return {k: jsonable(v, lang) for k, v in obj.items()}
    return obj
