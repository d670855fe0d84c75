"""The project's bilingual messages, read from i18n/messages/<lang>.yml and the areas' own files
(``<area>.<lang>.yml``: the emails, the consultants' desk, the funnel), merged into one catalog per language.

Messages live in data files so a translator or the consultancy can change wording without touching code;
both files must have the same keys (tests/i18n/test_catalog.py checks). Each catalog names who may give
immigration advice once, in `terms.advisor`; every `{advisor}` in it is that term. Placeholders are
written as everywhere else (`i18n.placeholders`): `{name}` for a value the caller gives, `{key}` or
`{key.attribute}` for a program fact the engine fills in. The screening's questions are not here: each
profile field's question lives with its criterion's wording, in eligibility/data/texts.yaml.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from i18n.languages import DEFAULT_LANGUAGE, supported
from i18n.placeholders import fill_values

MESSAGES_DIR = Path(__file__).parent / "messages"
TERMS = ("advisor",)


def _with_terms(node: Any, terms: dict[str, str]) -> Any:
    if isinstance(node, str):
        return fill_values(node, terms, keep_others=True)
    if isinstance(node, dict):
        return {key: _with_terms(value, terms) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_terms(value, terms) for value in node]
    return node


def _read(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@cache
def catalog(lang: str) -> dict[str, Any]:
    """The whole message catalog of one language, its terms filled in. An area's file adds top-level
    sections; one that repeats a section of another file is an error, so each message has one place."""
    lang = supported(lang) or DEFAULT_LANGUAGE
    raw = _read(MESSAGES_DIR / f"{lang}.yml")
    for path in sorted(MESSAGES_DIR.glob(f"*.{lang}.yml")):
        area = _read(path)
        repeated = sorted(set(area) & set(raw))
        if repeated:
            raise ValueError(f"{path.name} repeats the section(s) {', '.join(repeated)}")
        raw.update(area)
    return _with_terms(raw, {name: raw["terms"][name] for name in TERMS})


def text(lang: str, path: str, **values: Any) -> str:
    """The message at dotted `path` (e.g. "verdict.eligible"), with `values` filled in; without
    values, any program facts it names are left for the engine to fill."""
    node = entry(lang, path)
    if not isinstance(node, str):
        raise TypeError(f"{path} is not a message in {lang}.yml")
    return fill_values(node, values) if values else node


def entry(lang: str, path: str) -> Any:
    """Any catalog node (a list of buttons, a mapping), for callers that need structure."""
    node: Any = catalog(lang)
    for part in path.split("."):
        node = node[part]
    return node
