"""Chooses which alternatives and caveats to show, from the answers, the verdict and the assessment date.

Only the choice lives here; the wording is in data/texts.yaml and the facts in data/program.yaml. A note
whose program value is not in force on the assessment date is never shown (the context filters it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Answers = Mapping[str, object]


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
    if has_csq is False or program == "other":
        chosen.append("get_csq_first")
    if residence == "other_province" or has_csq is False:
        chosen.append("pnp")
    return tuple(chosen)


def caveats(answers: Answers) -> tuple[str, ...]:
    """Unconfirmed facts that bear on this person's result."""
    chosen: list[str] = ["imp_plus_still_open"]
    if answers["csq_program"] == "ai_it_vfx_pilot":
        chosen.append("ai_pilot_closing")  # phrased by date: scheduled to close / closed
    else:
        chosen.append("prtq_replaced_by_pstq")  # shown only from the day of the change
    if answers["has_invitation"] is True:
        chosen.append("invitation_window")
    return tuple(chosen)

