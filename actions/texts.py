"""The assistant's bilingual messages, read from actions/texts/<lang>.yml.

Messages live in data files so a translator or the consultancy can change wording without touching code;
both files must have the same keys (tests/actions/test_texts.py checks).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.language import DEFAULT_LANGUAGE, SUPPORTED

TEXTS_DIR = Path(__file__).parent / "texts"


@cache
def catalog(lang: str) -> dict[str, Any]:
    """The whole message catalog of one language."""
    if lang not in SUPPORTED:
        lang = DEFAULT_LANGUAGE
    with open(TEXTS_DIR / f"{lang}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def text(lang: str, path: str, **values: Any) -> str:
    """The message at dotted `path` (e.g. "questions.residence.ask"), with `values` filled in."""
    node: Any = catalog(lang)
    for part in path.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise TypeError(f"{path} is not a message in {lang}.yml")
    return node.format(**values) if values else node


def entry(lang: str, path: str) -> Any:
    """Any catalog node (a list of buttons, a mapping), for callers that need structure."""
    node: Any = catalog(lang)
    for part in path.split("."):
        node = node[part]
    return node
