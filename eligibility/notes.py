"""Chooses which alternatives and caveats to show, from the answers, the verdict and the assessment date.

Only the choice lives here; the wording is in data/texts.yaml and the facts in data/program.yaml. A note
whose program value is not in force on the assessment date is never shown (the context filters it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Answers = Mapping[str, object]

# The hedge every result carries: whether IMP+ still takes applications could not be confirmed.
PROGRAM_STATUS = "program_status"
# CSQ programs whose CSQ the IMP+ instructions do not name: the person may need another CSQ first.
PROGRAMS_NOT_NAMED = frozenset({"peq", "other"})


def alternatives(answers: Answers, verdict: str, in_force: Callable[[str], bool]) -> tuple[str, ...]:
    """Other routes worth a look; none when the person looks eligible for IMP+."""
    if verdict == "eligible":
        return ()
    chosen: list[str] = []
    residence, has_csq, program = answers["residence"], answers["has_csq"], answers["csq_program"]
    if residence == "quebec":
        chosen.append("bowp_quebec")
        if in_force("public_policy_2026"):
            chosen.append("public_policy_2026")
    if has_csq is False or program in PROGRAMS_NOT_NAMED:
        chosen.append("get_csq_first")
    if residence == "other_province" or has_csq is False:
        chosen.append("pnp")
    return tuple(chosen)


def caveats(answers: Answers) -> tuple[str, ...]:
    """Unconfirmed facts that bear on this person's result (besides the program status, always shown)."""
    if answers["has_invitation"] is True:
        return ("invitation_window",)
    return ()
