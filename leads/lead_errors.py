"""Errors carrying stable codes instead of sentences, so the assistant can word them in either language."""

from __future__ import annotations


class LeadInputError(ValueError):
    """An answer that cannot go into a lead: ``field`` names the answer, ``code`` the problem.

    Codes are stable identifiers (``email_missing_at``, ``phone_too_short``...) that the assistant maps to
    its own English or French message; ``str()`` is a plain English line for logs and the command line.
    """

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        self.field = field
        self.code = code
        self.detail = detail
        super().__init__(f"{field}: {code}" + (f" ({detail})" if detail else ""))
