"""assess(): the pre-screening itself, a pure function of the answers, the date and the program data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .assessment_models import Assessment, Note, Profile, Source
from .dated_context import context_for
from .engine_errors import ProfileError
from .notes import PROGRAM_STATUS, alternatives, caveats
from .profile_input import check_skip, parse_profile
from .program import ProgramData, load_program
from .questions import next_question
from .wording import Question, load_texts

_NO_SKIP: frozenset = frozenset()


def assess(
    profile: Profile | Mapping[str, Any],
    on: date,
    skip: Iterable[str] = (),
    *,
    program: ProgramData | None = None,
) -> Assessment:
    """Pre-screen a person for IMP+ on a date.

    ``skip`` holds the fields the person said they don't know: they stay unknown and are never asked
    again. ``program`` defaults to the packaged data file. The date is always given by the caller.
    """
    if not isinstance(profile, Profile):
        profile = parse_profile(profile)
    skipped = check_skip(skip) if skip else _NO_SKIP
    ctx = context_for(program if program is not None else load_program(), on)
    answers = profile.__dict__

    criteria = tuple([table[get(answers)] for get, table in ctx.rule_lookups])
    # The verdict every way of answering the rest agrees on (rules.final_verdict), or None with the
    # unknown fields that can still change it.
    deciding, verdict = ctx.outlook(answers)
    question = None
    if verdict is None:
        verdict = "need_more_info"
        question = next_question(deciding, answers, skipped)

    shown = (ctx.note("alternatives", i) for i in alternatives(answers, verdict, ctx.in_force))
    alts = tuple(n for n in shown if n is not None)
    cavs = tuple(n for n in (ctx.note("caveats", i) for i in caveats(answers)) if n is not None)
    status_note = ctx.note("caveats", PROGRAM_STATUS)
    checked = ctx.base_checked
    for n in alts + cavs:
        if n.last_checked < checked:
            checked = n.last_checked

    return Assessment(
        on=ctx.on,
        verdict=verdict,
        criteria=criteria,
        next_question=question,
        alternatives=alts,
        caveats=cavs,
        program_status=status_note,
        cap=ctx.cap,
        last_checked=checked,
        source=ctx.source,
    )


def program_status(on: date, *, program: ProgramData | None = None) -> Note | None:
    """The hedge every answer that presents IMP+ as current carries: the rules as last checked, and that
    whether IMP+ still takes applications could not be confirmed (None on dates before that doubt)."""
    return context_for(program if program is not None else load_program(), on).note("caveats", PROGRAM_STATUS)


def word(
    template: str, on: date, lang: str, *, program: ProgramData | None = None
) -> tuple[str, tuple[Source, ...]]:
    """A text that names program facts as {key} or {key.attr} (see data/texts.yaml), filled with the values
    in force on a date in one language, with the sources of the facts it used."""
    ctx = context_for(program if program is not None else load_program(), on)
    return ctx.word(template, lang, "template")


def question(field: str, lang: str, *, program: ProgramData | None = None) -> Question:
    """How the assistant asks for one profile field in one language: the question, the help shown after an
    answer it did not understand, why it asks, and the quick replies (data/texts.yaml `questions`)."""
    texts = load_texts(program if program is not None else load_program())
    if field not in texts.questions:
        raise ProfileError(f"unknown field {field!r}; expected one of {', '.join(texts.questions)}", field)
    return texts.questions[field].in_(lang)
