"""Which language the desk speaks to this consultant: ``?lang=`` (remembered in a cookie), else the cookie,
else the browser's Accept-Language, else the project's default."""

from __future__ import annotations

from i18n.languages import DEFAULT_LANGUAGE, SUPPORTED, supported

COOKIE = "desk_lang"


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most ("fr-CA,fr;q=0.9,en;q=0.8" -> "fr"), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        lang = supported(tag.strip())
        if lang and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else None


def desk_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language to answer in, by the module's order."""
    return supported(query) or supported(cookie) or from_accept_language(accept_language) or DEFAULT_LANGUAGE


def other_language(lang: str) -> str:
    """The language the toggle link offers."""
    return next(code for code in SUPPORTED if code != lang)
