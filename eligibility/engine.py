"""assess(): the pre-screening itself, a pure function of the answers, the date and the program data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .context import context_for
from .models import Assessment, Profile
from .notes import alternatives, caveats
from .profile_input import check_skip, parse_profile
from .program import ProgramData, load_program
from .questions import next_question

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
    # The verdict rule of eligibility.rules.verdict_of, unrolled for speed (the tests check they agree).
    hard_unknown = step_unmet = step_unknown = False
    verdict = ""
    for c in criteria:
        if c.status == "met":
            continue
        if c.kind == "hard":
            if c.status == "unmet":
                verdict = "not_eligible"
                break
            hard_unknown = True
        elif c.status == "unmet":
            step_unmet = True
        else:
            step_unknown = True
    if not verdict:
        if hard_unknown:
            verdict = "need_more_info"
        elif step_unmet:
            verdict = "not_yet"
        elif step_unknown:
            verdict = "need_more_info"
        else:
            verdict = "eligible"

    question = None
    if verdict == "need_more_info":
        question = next_question(ctx.deciding(answers), answers, skipped)

    shown = (ctx.note("alternatives", i) for i in alternatives(answers, verdict, ctx.in_force))
    alts = tuple(n for n in shown if n is not None)
    cavs = tuple(n for n in (ctx.note("caveats", i) for i in caveats(answers)) if n is not None)
    checked = ctx.base_checked
    for n in alts + cavs:
        if n.last_checked < checked:
            checked = n.last_checked

    return Assessment.construct(
        on=ctx.on,
        verdict=verdict,
        criteria=criteria,
        next_question=question,
        alternatives=alts,
        caveats=cavs,
        cap=ctx.cap,
        last_checked=checked,
        source=ctx.source,
    )
