"""The period a claim is about, from its sentence (or, failing that, its paragraph), with
relative dates resolved against the publication date:

* ``since May 2024``, ``since the March 28 earthquake``, ``since Monday``, ``since
  midnight`` → a start (and the publication date as the end for the relative ones);
* ``as of May 2``, ``by 2 May``, ``until May 2`` → an end;
* ``between 1 and 3 May``, ``from July 8 to 12``, ``8-12 July``, ``from January to the
  end of June`` → start and end;
* ``over the last three days``, ``in the past week``, ``last week``, ``last month``,
  ``last year``, ``in the last year`` → counted back from the publication date.

Plain standard library: a date library parses whole strings, while these phrases must be
found inside running text and stay within a few shapes."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from provenance.figures import WORD_FIGURE_PATTERN, scan_figures

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_NAMES |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_NAMES["sept"] = 9
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30,
              "year": 365, "years": 365}  # fmt: skip


def _month(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, year: int | None, published: dt.date) -> int:
    """A month without a year is the latest such month not after publication."""
    if year is not None:
        return year
    return published.year if month <= published.month else published.year - 1


def _count(text: str) -> int | None:
    figure = next(iter(scan_figures(text)), None)
    if figure is not None and isinstance(figure.value, int):
        return figure.value
    if WORD_FIGURE_PATTERN.fullmatch(text.strip()):
        found = next(iter(scan_figures(text)), None)
        return found.value if found and isinstance(found.value, int) else None
    return {"a": 1, "an": 1, "one": 1}.get(text.strip().lower())


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def period(sentence: str, published: dt.date) -> dict[str, str] | None:
    """The period a sentence gives, or None."""
    start: dt.date | None = None
    end: dt.date | None = None
    year = r"(?:,?\s+(?P<y>\d{4}))?"
    # ranges first: "between 1 and 3 May", "8-12 July", "from July 8 to 12", "from 8 to 12 July"
    found = re.search(
        rf"\b(?i:between|from)?\s*{DAY.format('d1')}\s*(?:and|to|-|–)\s*{DAY.format('d2')}\s+"
        rf"(?P<m>{MONTH}){year}",
        sentence,
    ) or re.search(
        rf"\b(?i:between|from)?\s*(?P<m>{MONTH})\s+{DAY.format('d1')}\s*(?:and|to|-|–)\s*"
        rf"(?:(?P=m)\s+)?{DAY.format('d2')}\b{year}",
        sentence,
    )
    if found:
        month = _month(found["m"])
        y = _year_for(month, int(found["y"]) if found["y"] else None, published)
        start, end = _date(y, month, int(found["d1"])), _date(y, month, int(found["d2"]))
    months = re.search(
        rf"\b(?i:from)\s+(?P<m1>{MONTH})\s+(?:\d{{4}}\s+)?(?:to|until|through)\s+(?:the\s+end\s+of\s+)?"
        rf"(?P<m2>{MONTH}){year}",
        sentence,
    )
    if not found and months:
        m1, m2 = _month(months["m1"]), _month(months["m2"])
        y2 = _year_for(m2, int(months["y"]) if months["y"] else None, published)
        y1 = y2 if m1 <= m2 else y2 - 1
        start = _date(y1, m1, 1)
        end = _date(y2, m2, calendar.monthrange(y2, m2)[1])
    if start is None:
        since = re.search(
            rf"\b(?i:since)\s+(?:the\s+)?(?:(?P<m>{MONTH})(?:\s+{DAY.format('d')}\b)?{year}|"
            rf"{DAY.format('d2')}\s+(?P<m2>{MONTH}){year.replace('y>', 'y2>')}|"
            rf"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|(?P<mid>midnight)|"
            rf"(?P<yy>\d{{4}})\b)",
            sentence,
        )
        if since:
            if since["wd"]:
                back = (published.weekday() - _WEEKDAYS.index(since["wd"].lower())) % 7 or 7
                start, end = published - dt.timedelta(days=back), published
            elif since["mid"]:
                start = end = published
            elif since["yy"]:
                start = _date(int(since["yy"]), 1, 1)
            else:
                month = _month(since["m"] or since["m2"])
                day = since["d"] or since["d2"]
                y_text = since["y"] or since["y2"]
                y = _year_for(month, int(y_text) if y_text else None, published)
                start = _date(y, month, int(day) if day else 1)
    if start is None:
        relative = re.search(
            r"\b(?:over|in|during|within|for)\s+the\s+(?:last|past|previous)\s+(?P<n>[\w-]+\s+)?"
            r"(?P<unit>days?|weeks?|months?|years?)\b",
            sentence,
            re.I,
        ) or re.search(r"\b(?P<last>last|this|past)\s+(?P<unit>week|month|year)\b", sentence, re.I)
        if relative:
            unit = relative["unit"].lower()
            if relative.groupdict().get("last"):
                which = relative["last"].lower()
                if unit == "year" and which == "last":
                    start, end = (
                        dt.date(published.year - 1, 1, 1),
                        dt.date(published.year - 1, 12, 31),
                    )
                elif unit == "month" and which == "last":
                    end = published.replace(day=1) - dt.timedelta(days=1)
                    start = end.replace(day=1)
                elif unit == "week" and which == "last":
                    monday = published - dt.timedelta(days=published.weekday())
                    start, end = monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
                elif which == "this":
                    start = {
                        "week": published - dt.timedelta(days=published.weekday()),
                        "month": published.replace(day=1),
                        "year": published.replace(month=1, day=1),
                    }[unit]
                    end = published
                else:
                    start, end = published - dt.timedelta(days=_UNIT_DAYS[unit]), published
            else:
                count = _count(relative["n"]) if relative["n"] else 1
                if count is not None:
                    start = published - dt.timedelta(days=count * _UNIT_DAYS[unit])
                    end = published
    as_of = re.search(
        rf"\b(?i:as of|by|until|up to)\s+(?:(?P<m>{MONTH})\s+{DAY.format('d')}|"
        rf"{DAY.format('d2')}\s+(?P<m2>{MONTH})){year}",
        sentence,
    )
    if end is None and as_of:
        month = _month(as_of["m"] or as_of["m2"])
        y = _year_for(month, int(as_of["y"]) if as_of["y"] else None, published)
        end = _date(y, month, int(as_of["d"] or as_of["d2"]))
    result = {k: v for k, v in (("start", _iso(start)), ("end", _iso(end))) if v}
    return result or None
