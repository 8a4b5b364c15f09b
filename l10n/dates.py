"""Article dates: what an editor types in `date:`, read into a `datetime.date`.

Accepted (issue 16), with ASCII or full-width digits and optional spaces between parts:

    2026-02-01              ISO 8601 (YAML reads it as a date; quoted, as text: the same;
                            an ISO date and time counts as its date)
    2026年2月1日             the Japanese form
    令和8年2月1日 / 令和元年5月1日   the Reiwa era (from 2019-05-01)
    平成31年4月30日 / 平成元年…      the Heisei era (1989-01-08 to 2019-04-30)

A weekday in brackets after the Japanese form (`2026年4月1日（水）`) is accepted when it is
the right one. Anything else, an impossible date (`2026-13-45`, `2026年2月30日`) or a date
outside its era (`令和1年4月1日`) is bad input: exit 2 naming the file and the line.

Published editions carry the ISO date (static site generators sort by it) and the date in
the language's long format from Babel (`format_date(..., format="long")`):
en `February 1, 2026`, ko `2026년 2월 1일`, es `1 de febrero de 2026`.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from babel.dates import format_date

from .errors import InputError

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
_JA = re.compile(r"(?:(?P<era>令和|平成)\s*(?P<ey>\d{1,2}|元)|(?P<y>\d{4}))\s*年\s*"
                 r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                 r"(?:\s*[（(]\s*(?P<wd>[月火水木金土日])(?:曜日?)?\s*[）)])?")
_ERAS = {"令和": (2018, dt.date(2019, 5, 1), None),
         "平成": (1988, dt.date(1989, 1, 8), dt.date(2019, 4, 30))}
_WEEKDAYS = "月火水木金土日"
FORMS = "2026-02-01, 2026年2月1日 or 令和8年2月1日"


def parse_date(value: object, path: str | Path | None = None, line: int | None = None) -> dt.date:
    """The date an editor wrote, or InputError (exit 2) naming the file and line."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"date must be a date like {FORMS}", path, line)
    text = value.strip().translate(_DIGITS)
    m = _ISO.fullmatch(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if _ISO_TIME.match(text):  # 2026-02-01T10:00:00+09:00: the date part
            return dt.datetime.fromisoformat(text).date()
        m = _JA.fullmatch(text)
        if not m:
            raise InputError(f"date {value!r} is not a date like {FORMS}", path, line)
        if m.group("era"):
            offset, first, last = _ERAS[m.group("era")]
            year = offset + (1 if m.group("ey") == "元" else int(m.group("ey")))
        else:
            year = int(m.group("y"))
        date = dt.date(year, int(m.group("m")), int(m.group("d")))
    except ValueError as exc:  # 2026-13-45, 2026年2月30日
        raise InputError(f"date {value!r} does not exist ({exc})", path, line) from None
    if m.group("era") and (date < first or (last is not None and date > last)):
        raise InputError(f"date {value!r} is outside the {m.group('era')} era", path, line)
    if m.group("wd") and _WEEKDAYS[date.weekday()] != m.group("wd"):
        raise InputError(f"date {value!r}: {date.isoformat()} is a "
                         f"{_WEEKDAYS[date.weekday()]}曜日, not {m.group('wd')}", path, line)
    return date


def long_date(date: dt.date, lang: str) -> str:
    """The date in the language's long format (Babel/CLDR)."""
    return format_date(date, format="long", locale=lang.replace("-", "_"))
