"""The labelled sentences the report scores: held-out intents and fact-annotated messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from i18n.languages import SUPPORTED, detect_language

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = {lang: ROOT / "tests" / "nlu" / f"heldout_{lang}.yml" for lang in SUPPORTED}


@dataclass(frozen=True)
class EntityCase:
    """A message, the facts it must give (field -> value) and the fields it must not give."""

    text: str
    expected: dict[str, str]
    absent: frozenset[str] = field(default_factory=frozenset)


def heldout_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa 3 NLU file; the held-out files carry no entity annotations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), block["intent"]))
    return pairs


def entity_cases() -> list[EntityCase]:
    """The extractor's EN/FR fact cases, plus the messages that must give no residence nor place.

    The held-out sets have no entity annotations, so these tables (tests/nlu_components/test_fact_cases.py
    and test_fact_no_false_places.py) are the only entity-labelled data in the repository. They were
    written alongside the extractor's rules: a regression check, not held-out data.
    """
    from tests.nlu_components.test_fact_cases import CASES
    from tests.nlu_components.test_fact_no_false_places import NO_PLACE_MESSAGES

    cases = [EntityCase(text, dict(expected), frozenset(absent)) for text, expected, absent in CASES]
    return cases + [EntityCase(text, {}, frozenset({"residence", "place"})) for text in NO_PLACE_MESSAGES]


def case_language(text: str) -> str:
    """en, fr, or "neutral" for messages without a clear language ("QC", "Moncton", "PRTQ")."""
    return detect_language(text) or "neutral"
