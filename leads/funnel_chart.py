"""The funnel as a standalone SVG for the desk: one horizontal bar per stage (count and % of
conversations) with the verdicts under their stage, the conversations by day, by language and by channel
(with their bookings confirmed), and per screening question how many were asked it and how many stopped
there: the drop-off.

Plain SVG with no script, no external font and no style sheet, so it can be inlined in a page, saved or
mailed as is; it is an image with a title and a description (role="img") for screen readers. Every text
comes from the funnel catalog (i18n/messages/funnel.<lang>.yml) and is escaped.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from i18n.catalog import text
from i18n.formatting import format_date, format_number, format_share
from i18n.languages import DEFAULT_LANGUAGE, supported

from .funnel import CHANNELS, STAGES, FunnelReport, StageCounts

WIDTH = 800
MARGIN = 24
LABEL_WIDTH = 270
BAR_X = MARGIN + LABEL_WIDTH
BAR_WIDTH = 330
ROW = 28
BAR = 18
QUESTION_ROW = 34
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK, MUTED, RULE = "#1a1a1a", "#555555", "#d0d0d0"
STAGE_COLOUR, VERDICT_COLOUR = "#1f5f99", "#5a86b8"
ASKED_COLOUR, STOPPED_COLOUR, CONFIRMED_COLOUR = "#9db8d6", "#b34700", "#2e7d32"
DAYS_HEIGHT = 70
MAX_DAY_COLUMNS = 92


def funnel_svg(report: FunnelReport, lang: str, *, id_prefix: str = "funnel") -> str:
    """The report as an SVG document (a string starting with ``<svg``), labelled in `lang`. `id_prefix`
    names its title and description elements: give each chart inlined in one page its own."""
    lang = supported(lang) or DEFAULT_LANGUAGE
    total = report.totals.conversations
    parts: list[str] = []
    y = MARGIN + 18
    parts.append(_text(MARGIN, y, text(lang, "funnel.title"), size=18, weight="bold"))
    y += 22
    parts.append(_text(MARGIN, y, f"{_period(report, lang)} · {text(lang, 'funnel.zone', zone=report.zone)}",
                       size=13, fill=MUTED))
    y += 16
    if total == 0:
        y += 24
        parts.append(_text(MARGIN, y, text(lang, "funnel.empty"), size=14))
        return _document(parts, y + MARGIN, report, lang, id_prefix)
    y = _stages(parts, y, report, lang)
    y = _section(parts, y, text(lang, "funnel.days_title"))
    y = _days(parts, y, report, lang)
    y = _section(parts, y, text(lang, "funnel.breakdown_title")) + 10
    y = _groups(parts, y, report, lang)
    y = _section(parts, y, text(lang, "funnel.questions_title")) + 14
    y = _questions(parts, y, report, lang)
    return _document(parts, y + MARGIN - 8, report, lang, id_prefix)


def _stages(parts: list[str], y: int, report: FunnelReport, lang: str) -> int:
    """One bar per stage, the verdicts given under theirs, each with its count and share."""
    total = report.totals.conversations
    y += 8
    parts.append(_text(BAR_X + BAR_WIDTH + 8, y + 6, text(lang, "funnel.columns.share"), size=11, fill=MUTED))
    y += 10
    for stage in STAGES:
        count = getattr(report.totals, stage)
        parts.append(_bar_row(y, text(lang, f"funnel.stages.{stage}"), count, total, lang, STAGE_COLOUR))
        y += ROW
        if stage == "verdict":
            for verdict, verdict_count in report.verdicts.items():
                if verdict_count:
                    label = text(lang, f"booking.verdicts.{verdict}")
                    parts.append(_bar_row(y, label, verdict_count, total, lang, VERDICT_COLOUR, indent=16))
                    y += ROW
    return y


def _groups(parts: list[str], y: int, report: FunnelReport, lang: str) -> int:
    """Per language, then per channel: its conversations and its bookings confirmed."""
    total = report.totals.conversations
    groups = [(language_label(code, lang), counts) for code, counts in sorted(report.by_language.items())]
    groups += [(channel_label(code, lang), counts) for code, counts in sorted(report.by_channel.items())]
    for label, counts in groups:
        y = _pair(parts, y, label, total, lang, ("stages.conversations", counts.conversations, STAGE_COLOUR),
                  ("stages.booking_confirmed", counts.booking_confirmed, CONFIRMED_COLOUR))
    return y


def _pair(parts: list[str], y: int, label: str, total: int, lang: str,
          upper: tuple[str, int, str], lower: tuple[str, int, str]) -> int:
    """One labelled row of two thin bars, each (its count's catalog key, the count, its colour)."""
    parts.append(_text(MARGIN, y + 15, label, size=12))
    for offset, (key, count, colour) in ((2, upper), (16, lower)):
        parts.append(_thin_bar(y + offset, count, total, colour, _counted(key, count, lang)))
    return y + QUESTION_ROW


def _questions(parts: list[str], y: int, report: FunnelReport, lang: str) -> int:
    """The drop-off: per question asked, how many were asked it and how many stopped there."""
    total = report.totals.conversations
    parts.append(_legend(y, lang))
    y += 22
    for name, counts in report.questions.items():
        if not counts.asked:
            continue
        y = _pair(parts, y, text(lang, f"funnel.questions.{name}"), total, lang,
                  ("columns.asked", counts.asked, ASKED_COLOUR),
                  ("columns.stopped", counts.stopped, STOPPED_COLOUR))
    return y


def _counted(key: str, count: int, lang: str) -> str:
    return f"{text(lang, f'funnel.{key}')} {format_number(count, lang)}"


def _section(parts: list[str], y: int, title: str) -> int:
    """A rule and a section title under the previous section; returns where the section's rows start."""
    y += 18
    parts.append(f'<line x1="{MARGIN}" y1="{y}" x2="{WIDTH - MARGIN}" y2="{y}" stroke="{RULE}"/>')
    y += 26
    parts.append(_text(MARGIN, y, title, size=15, weight="bold"))
    return y


def _days(parts: list[str], y: int, report: FunnelReport, lang: str) -> int:
    """One column per day of the period (days without conversations too, so gaps show; only the days with
    conversations when the period is longer than MAX_DAY_COLUMNS), its count on top and its date under it."""
    days = sorted(report.by_day.items())
    last = report.until or days[-1][0]
    if (last - report.since).days < MAX_DAY_COLUMNS:
        every_day = (report.since + timedelta(days=n) for n in range((last - report.since).days + 1))
        days = [(day, report.by_day.get(day) or StageCounts()) for day in every_day]
    highest = max(counts.conversations for _, counts in days)
    step = (WIDTH - 2 * MARGIN) / max(len(days), 7)
    column = max(2.0, min(40.0, step * 0.7))
    every = max(1, round(60 / step))  # a date label at most every 60 px
    top, bottom = y + 22, y + 22 + DAYS_HEIGHT
    for index, (day, counts) in enumerate(days):
        height = round(DAYS_HEIGHT * counts.conversations / highest, 1)
        x = round(MARGIN + index * step, 1)
        parts.append(f'<rect x="{x}" y="{bottom - height}" width="{round(column, 1)}" height="{height}" '
                     f'fill="{STAGE_COLOUR}"><title>{escape(format_date(day, lang))}: '
                     f'{format_number(counts.conversations, lang)}</title></rect>')
        if column >= 14 and counts.conversations:
            parts.append(_text(x, bottom - height - 4, format_number(counts.conversations, lang), size=11))
        if index % every == 0:
            parts.append(_text(x, bottom + 14, day.strftime("%m-%d"), size=11, fill=MUTED))
    parts.append(f'<line x1="{MARGIN}" y1="{bottom}" x2="{WIDTH - MARGIN}" y2="{bottom}" stroke="{RULE}"/>')
    return max(top, bottom + 14)


def language_label(code: str, lang: str) -> str:
    """A conversation's language ("fr") as named in `lang` ("French")."""
    return text(lang, f"funnel.languages.{code}") if supported(code) == code \
        else text(lang, "funnel.unknown_language")


def channel_label(code: str, lang: str) -> str:
    """A conversation's channel ("socketio") as named in `lang` ("Website chat")."""
    return text(lang, f"funnel.channels.{code}" if code in CHANNELS else "funnel.channels.unknown")


def _document(parts: list[str], height: int, report: FunnelReport, lang: str, id_prefix: str) -> str:
    title = f"{text(lang, 'funnel.title')} ({_period(report, lang)})"
    ids = escape(id_prefix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ids}-title {ids}-desc" '
        f'font-family="{escape(FONT)}" lang="{lang}">'
        f'<title id="{ids}-title">{escape(title)}</title>'
        f'<desc id="{ids}-desc">{escape(description(report, lang))}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        + "".join(parts) + "</svg>"
    )


def description(report: FunnelReport, lang: str) -> str:
    """The chart's gist in one or two sentences, for screen readers (and the desk's alt text)."""
    totals = report.totals
    if not totals.conversations:
        return text(lang, "funnel.empty")
    values = {"conversations": format_number(totals.conversations, lang),
              "checks": format_number(totals.check_started, lang),
              "verdicts": format_number(totals.verdict, lang),
              "confirmed": format_number(totals.booking_confirmed, lang)}
    stopped = max(report.questions.items(), key=lambda item: item[1].stopped)
    if not stopped[1].stopped:
        return text(lang, "funnel.description_no_stop", **values)
    most = text(lang, f"funnel.questions.{stopped[0]}")
    return text(lang, "funnel.description", stopped_most=most, **values)


def _period(report: FunnelReport, lang: str) -> str:
    since = format_date(report.since, lang)
    if report.until is None:
        return text(lang, "funnel.period_open", since=since)
    return text(lang, "funnel.period", since=since, until=format_date(report.until, lang))


def _width(count: int, total: int) -> float:
    return round(BAR_WIDTH * count / total, 1) if total else 0.0


def _bar_row(y: int, label: str, count: int, total: int, lang: str, colour: str, indent: int = 0) -> str:
    width = _width(count, total)
    value = f"{format_number(count, lang)} · {format_share(count, total, lang)}"
    return (
        _text(MARGIN + indent, y + 14, label, size=12 if indent else 13, fill=MUTED if indent else INK)
        + f'<rect x="{BAR_X}" y="{y + 1}" width="{BAR_WIDTH}" height="{BAR}" fill="#f1f3f5"/>'
        + f'<rect x="{BAR_X}" y="{y + 1}" width="{width}" height="{BAR}" fill="{colour}"/>'
        + _text(BAR_X + BAR_WIDTH + 8, y + 14, value, size=12)
    )


def _thin_bar(y: int, count: int, total: int, colour: str, label: str) -> str:
    return (f'<rect x="{BAR_X}" y="{y}" width="{_width(count, total)}" height="11" fill="{colour}"/>'
            + _text(BAR_X + BAR_WIDTH + 8, y + 10, label, size=11, fill=MUTED))


def _legend(y: int, lang: str) -> str:
    items = ((ASKED_COLOUR, text(lang, "funnel.columns.asked")),
             (STOPPED_COLOUR, text(lang, "funnel.columns.stopped")))
    parts, x = [], BAR_X
    for colour, label in items:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, label, size=11, fill=MUTED))
        x += 24 + 7 * len(label)
    return "".join(parts)


def _text(x: float, y: float, content: str, *, size: int, fill: str = INK, weight: str | None = None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return f'<text x="{x}" y="{y}" font-size="{size}" fill="{fill}"{bold}>{escape(content)}</text>'
