"""The screening summary kept with a lead: what the person told us and what the engine concluded.

Only the parts a consultant reads before the call (profile, verdict, criteria with their reasons and
source URLs, the ids of other routes and caveats), not the whole assessment: the full texts can be
regenerated from the profile with ``python -m eligibility assess``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility import Assessment, Profile


def screening_summary(profile: Profile | Mapping[str, Any] | None = None,
                      assessment: Assessment | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready summary from the engine's objects or their dict forms (``Assessment.to_dict()``)."""
    summary: dict[str, Any] = {}
    if profile is not None:
        known = profile.known() if isinstance(profile, Profile) else {
            k: v for k, v in profile.items() if v is not None}
        summary["profile"] = dict(known)
    if assessment is not None:
        data = assessment.to_dict() if isinstance(assessment, Assessment) else dict(assessment)
        summary.update({
            "on": data.get("on"),
            "verdict": data.get("verdict"),
            "criteria": [
                {"id": c.get("id"), "kind": c.get("kind"), "status": c.get("status"),
                 "reason": c.get("reason"), "source": (c.get("reference") or {}).get("url")}
                for c in data.get("criteria", [])
            ],
            "next_question": data.get("next_question"),
            "alternatives": [note.get("id") for note in data.get("alternatives", [])],
            "caveats": [note.get("id") for note in data.get("caveats", [])],
            "rules_last_checked": data.get("last_checked"),
        })
    return summary
