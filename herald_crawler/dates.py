"""Dates as the site shows them, turned into ISO 8601 in Korea time.

Every form in the shared notes is read: ``2017-05-23 09:24``, ``Aug 26, 2020 - 15:44``,
``Sept. 18, 2012 - 09:26``, ``2025-04-03T09:15:00``, ``2025.04.03 09:15``, ``Wed, 19 Aug 2026 11:29:16 +09:00``
and ``April 23, 2025``, with or without a ``Published :`` / ``Updated :`` label. A value without an offset
is Korea time (UTC+9, no daylight saving since 1988), never the machine's local time.
"""

from __future__ import annotations

import re
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
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})(?:\s*-?\s*(\d{1,2}):(\d{2}))?$")
_RFC822 = re.compile(
    r"^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{2}:?\d{2}|GMT|UTC|Z)$"
)


def _known_form(text: str) -> datetime | None:
    """ISO 8601 and the site's common forms, in Korea time, or None to let dateutil try. Raises ValueError
    for a day or time out of range."""
    if match := _ISO_LIKE.match(text):
        year, month, day, hour, minute, second, tz = match.groups()
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                        tzinfo=_offset(tz) or KST).astimezone(KST)
    if match := _MONTH_DAY_YEAR.match(text):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            hour, minute = match.group(4), match.group(5)
            return datetime(int(match.group(3)), month, int(match.group(2)), int(hour or 0), int(minute or 0),
                            tzinfo=KST)
    if match := _RFC822.match(text):
        month = _MONTHS.get(match.group(2).lower())
        if month:
            return datetime(int(match.group(3)), month, int(match.group(1)), int(match.group(4)),
                            int(match.group(5)), int(match.group(6) or 0),
                            tzinfo=_offset(match.group(7))).astimezone(KST)
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
    except ValueError as exc:  # a day or time out of range
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
