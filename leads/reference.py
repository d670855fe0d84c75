"""Lead reference codes like IRCC's "Come to Canada" codes: short, read over the phone without mistakes.

``QP-7K4Q-2M9X``: a fixed prefix and eight characters from an alphabet without 0/O, 1/I/L and U
(30 symbols, about 6.6 × 10^11 codes), drawn with ``secrets`` so references can't be guessed.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "QP"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = (4, 4)
_SHAPE = re.compile(rf"{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def new_reference() -> str:
    """A fresh random reference (uniqueness is the database's job: the column is unique)."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(size)) for size in GROUPS)
    return "-".join((PREFIX, *groups))


def normalise_reference(text: str) -> str | None:
    """The reference in its stored form whatever the case, spaces or dashes ("qp 7k4q2m9x"), else None."""
    compact = re.sub(r"[\s\-_.]", "", text or "").upper()
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    body = compact
    if len(body) != sum(GROUPS):
        return None
    reference = f"{PREFIX}-{body[:GROUPS[0]]}-{body[GROUPS[0]:]}"
    return reference if _SHAPE.fullmatch(reference) else None
