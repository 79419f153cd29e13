"""Dates as the site shows them, turned into ISO 8601 in Korea time.

Every form in the shared notes is read: ``2017-05-23 09:24``, ``Aug 26, 2020 - 15:44``,
``Sept. 18, 2012 - 09:26``, ``2025-04-03T09:15:00``, ``2025.04.03 09:15``, ``Wed, 19 Aug 2026 11:29:16 +09:00``
and ``April 23, 2025``, with or without a ``Published :`` / ``Updated :`` label; also the variants CMSs
print (``3:44 p.m.``, ``Aug. 26th, 2020``, ``... KST``, ``2025. 4. 3. 09:15``, ``2025년 4월 3일``). A value
without an offset is Korea time (UTC+9, no daylight saving since 1988), never the machine's local time.
``find_dates`` picks the published and updated dates out of running text (one element holding both, labels,
separators, other words around them).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

KST = timezone(timedelta(hours=9), "KST")

_LABEL = re.compile(
    r"^\s*(?:published|updated|posted|modified|last\s+updated|date|입력|수정)\s*[:：]?\s*", re.IGNORECASE
)
_ISO_LIKE = re.compile(
    r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# AP-style month abbreviations dateutil does not know with their period ("Sept.") are fine once the
# period goes; "Sept" itself is known to dateutil.
_MONTH_PERIOD = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.", re.IGNORECASE)
_DASH_BEFORE_TIME = re.compile(r"\s+[-–—]\s+(?=\d{1,2}:\d{2})")


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
# The site's own forms, read without dateutil: "Aug 26, 2020 - 15:44", "Sept. 18, 2012 - 09:26",
# "April 23, 2025", and the feeds' "Wed, 19 Aug 2026 11:29:16 +09:00".
_TIME = r"(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?)?"
_ZONE = r"(?:\s*([+-]\d{2}:?\d{2}|GMT|UTC|Z))?"
_MONTH_DAY_YEAR = re.compile(rf"^(?:[A-Za-z]{{3,9}},? )?([A-Za-z]{{3,9}})\.? (\d{{1,2}}),? (\d{{4}}){_TIME}{_ZONE}$")
_DAY_MONTH_YEAR = re.compile(rf"^(?:[A-Za-z]{{3,9}},? )?(\d{{1,2}}) ([A-Za-z]{{3,9}})\.?,? (\d{{4}}){_TIME}{_ZONE}$")
#: What ``_known_form`` evens out first: ordinals, ``a.m.``, ``KST``, words and marks between day and time,
#: Korean year/month/day marks, spaces after the dots of ``2025. 4. 3.``.
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_MERIDIEM = re.compile(r"\b([ap])\.?\s?m\b\.?", re.IGNORECASE)
_KST = re.compile(r"\s*\(?\b(?:KST|Korea(?:n)? (?:Standard )?Time|Seoul time)\b\)?", re.IGNORECASE)
_BEFORE_TIME = re.compile(r"(?<=\d)\s*(?:[-–—|@,/·•]|\bat\b)\s*(?=\d{1,2}:\d{2})", re.IGNORECASE)
_KOREAN = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_DOTTED = re.compile(r"^(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?(?=\s|$)")


def _even_out(text: str) -> str:
    text = _KOREAN.sub(r"\1-\2-\3", text)
    text = _DOTTED.sub(r"\1-\2-\3", text)
    text = _KST.sub(" +09:00", text) if "+09" not in text else _KST.sub("", text)
    text = _MERIDIEM.sub(lambda m: f" {m.group(1).lower()}m", _ORDINAL.sub("", text))
    text = _BEFORE_TIME.sub(" ", text)
    return " ".join(text.replace(",", ", ").split()).replace(" ,", ",")


def _clock(hour: str | None, minute: str | None, second: str | None, meridiem: str | None) -> tuple[int, int, int]:
    h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
    if meridiem:
        if not 1 <= h <= 12:
            raise ValueError(f"hour {h} with {meridiem}")
        h = h % 12 + (12 if meridiem == "pm" else 0)
    return h, m, s


def _known_form(text: str) -> datetime | None:
    """ISO 8601 and the site's common forms, in Korea time, or None to let dateutil try. Raises ValueError
    for a day or time out of range."""
    if match := _ISO_LIKE.match(text):
        year, month, day, hour, minute, second, tz = match.groups()
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                        tzinfo=_offset(tz) or KST).astimezone(KST)
    text = _even_out(text)
    if match := _ISO_LIKE.match(text):
        return _known_form(text)
    for pattern, month_group, day_group in ((_MONTH_DAY_YEAR, 1, 2), (_DAY_MONTH_YEAR, 2, 1)):
        match = pattern.match(text)
        if match and (month := _MONTHS.get(match.group(month_group).lower())):
            hour, minute, second = _clock(*match.group(4, 5, 6, 7))
            return datetime(int(match.group(3)), month, int(match.group(day_group)), hour, minute, second,
                            tzinfo=_offset(match.group(8)) or KST).astimezone(KST)
    return None


class DateError(ValueError):
    """A date string no known form matches."""


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "GMT", "UTC"):
        return timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_kst(value: str) -> datetime:
    """Parse a date as shown on the site into an aware datetime in Korea time.

    Raises DateError naming the value when no form matches or the value carries no year.
    """
    text = _LABEL.sub("", " ".join(value.split()))
    if not text:
        raise DateError(f"empty date {value!r}")
    try:
        known = _known_form(text)
    except (ValueError, OverflowError) as exc:  # a day or time out of range, a year beyond the calendar
        raise DateError(f"impossible date {value!r}: {exc}") from None
    if known is not None:
        return known
    if not _YEAR.search(text):
        raise DateError(f"date without a year {value!r}")
    cleaned = _DASH_BEFORE_TIME.sub(" ", _MONTH_PERIOD.sub(r"\1", text))
    try:
        parsed = dateutil_parser.parse(cleaned, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError) as exc:
        raise DateError(f"unrecognised date {value!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=KST)
    return parsed.astimezone(KST)


_MONTH_NAME = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
               r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_CLOCK = r"(?:\s*(?:[-–—|@,/·•]|\bat\b)?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*[ap]\.?\s?m\.?)?)?"
_TZ = r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|GMT|UTC|\(?KST\)?))?"
#: A date inside running text, in any form ``parse_kst`` reads.
_DATE_IN_TEXT = re.compile(
    rf"(?:\d{{4}}[-./]\s?\d{{1,2}}[-./]\s?\d{{1,2}}\.?(?:[T ]\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?)?{_TZ}"
    rf"|\d{{4}}\s*년\s*\d{{1,2}}\s*월\s*\d{{1,2}}\s*일{_CLOCK}"
    rf"|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?{_MONTH_NAME}\.?\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}{_CLOCK}{_TZ}"
    rf"|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?\d{{1,2}}\s+{_MONTH_NAME}\.?,?\s+\d{{4}}{_CLOCK}{_TZ})",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"(?<![A-Za-z])(published|posted|first published|updated|last updated|modified|last modified|edited|date)\b"
    r"|(입력|수정|승인|등록)",
    re.IGNORECASE,
)
_JUST_SEPARATORS = re.compile(r"[\s:：|-]*")
_UPDATE_WORDS = frozenset({"updated", "last updated", "modified", "last modified", "edited", "수정"})


def find_dates(text: str | None, labelled_only: bool = False) -> tuple[str | None, str | None]:
    """The published and updated dates in ``text`` as shown (``Published : Aug 26, 2020 - 15:44 Updated :
    Aug 26, 2020 - 20:36``): each date takes the label nearest before it; without labels the first date is
    the publication, a second one the update. A labelled value that is no readable date comes back as the
    text after its label, so the caller can say what it could not read. ``labelled_only``: only dates
    right after a label count (for text that holds other dates too)."""
    if not text:
        return None, None
    text = " ".join(text.split())
    published = updated = None
    labels = [(m.start(), m.end(), (m.group(1) or m.group(2)).lower()) for m in _DATE_LABEL.finditer(text)]
    ends = [end for _, end, _ in labels]
    dates = list(_DATE_IN_TEXT.finditer(text))
    for position, match in enumerate(dates):
        before = bisect_right(ends, match.start()) - 1  # the nearest label ending before the date
        label = labels[before][2] if before >= 0 else None
        if labelled_only and (label is None or not _JUST_SEPARATORS.fullmatch(text, ends[before], match.start())):
            continue
        if label in _UPDATE_WORDS:
            updated = updated or match.group(0)
        elif label is not None or position == 0:
            if published is None:
                published = match.group(0)
            else:
                updated = updated or match.group(0)
        else:
            updated = updated or match.group(0)
    if not dates and labels and not labelled_only and len(text) <= 160:  # a date element: what its label shows
        for (start, end, name), following in zip(labels, labels[1:] + [(len(text), 0, "")]):
            value = text[end:following[0]].strip(" :：|-") or None
            if name in _UPDATE_WORDS:
                updated = updated or value
            else:
                published = published or value
    return published, updated


_LEFTOVER = re.compile(r"[\s:：|,·•/()\-–—]+")


def only_dates(text: str) -> bool:
    """True for a line that shows dates and their labels and nothing else (``Published : ... Updated : ...``)."""
    if not _DATE_IN_TEXT.search(text):
        return False
    rest = _DATE_LABEL.sub(" ", _DATE_IN_TEXT.sub(" ", text))
    rest = re.sub(r"\b(?:on|at|kst)\b", " ", rest, flags=re.IGNORECASE)
    return not _LEFTOVER.sub("", rest)


def to_kst_iso(value: str | None) -> str | None:
    """ISO 8601 with ``+09:00`` for a date as shown, None for None or blank."""
    if value is None or not value.strip():
        return None
    return parse_kst(value).isoformat(timespec="seconds")


def parse_day(value: str) -> date:
    """A calendar day ``YYYY-MM-DD`` given by a user; DateError names the value and the form expected."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DateError(f"{value!r} is not a date in the form YYYY-MM-DD (e.g. 2025-04-03)") from None
