"""The spider's arguments (``-a name=value``), checked before anything is fetched.

A bad value stops the run at once with an error that names the value and what is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .dates import KST, DateError, parse_day
from .sections import SECTIONS, Section, find_sections
from .urls import Site

CHANNELS = ("feed", "section", "sitemap")
DEFAULT_MAX_PAGES = 3
#: List pages per section a backfill may walk at most (it stops earlier, once listings are past `since`).
BACKFILL_MAX_PAGES = 2000
REFETCH = ("recent", "all")
ACCEPTED = ("urls", "urls_file", "sections", "max_pages", "channels", "since", "until", "refetch")


class ArgumentError(ValueError):
    """A spider argument with a value that is not accepted."""


@dataclass(frozen=True)
class RunOptions:
    """What one run was asked to do."""

    urls: tuple[str, ...] = ()  # explicit article URLs: fetch exactly these, no discovery
    sections: tuple[Section, ...] = SECTIONS
    sections_chosen: bool = False
    max_pages: int = DEFAULT_MAX_PAGES
    channels: tuple[str, ...] = CHANNELS
    since: date | None = None  # backfill window, Korea-time days, both ends included
    until: date | None = None
    refetch: str = "recent"  # "recent": re-fetch known articles only if recently published; "all": every one

    @property
    def explicit(self) -> bool:
        return bool(self.urls)

    @property
    def backfill(self) -> bool:
        return self.since is not None

    def in_window(self, day: date) -> bool:
        return self.since is None or (self.since <= day <= (self.until or day))

    def summary(self) -> dict[str, Any]:
        """The run's arguments as the manifest records them."""
        if self.explicit:
            return {"urls": len(self.urls)}
        return {
            "sections": [s.name for s in self.sections],
            "channels": list(self.channels),
            "max_pages": self.max_pages,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "refetch": self.refetch,
        }


def _positive_int(name: str, value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ArgumentError(f"{name}={value!r} is not accepted: expected a whole number of 1 or more")
    return number


def _channels(value: str, setting_name: str) -> tuple[str, ...]:
    chosen = []
    for raw in str(value).split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in CHANNELS:
            raise ArgumentError(
                f"{setting_name}: unknown channel {raw.strip()!r}: accepted are {', '.join(CHANNELS)}"
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise ArgumentError(f"{setting_name}={value!r} names no channel: accepted are {', '.join(CHANNELS)}")
    return tuple(chosen)


def _article_urls(values: list[tuple[str, str]], site: Site) -> tuple[str, ...]:
    urls: list[str] = []
    for where, value in values:
        url = value.strip()
        if not url:
            continue
        if site.article_id(url) is None:
            raise ArgumentError(
                f"{where}: {url!r} is not a Korea Herald article URL: expected "
                f"{site.base_url}/view.php?ud=<14 digits> or {site.base_url}/article/<8 digits> "
                "(or the same path on another Korea Herald host)"
            )
        urls.append(url)
    return tuple(urls)


def _read_urls_file(path_text: str) -> list[tuple[str, str]]:
    path = Path(path_text).expanduser()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise ArgumentError(f"urls_file={path_text!r}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ArgumentError(f"urls_file={path_text!r} cannot be read as UTF-8 text: {exc}") from None
    return [
        (f"urls_file {path_text} line {number}", line)
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def parse_arguments(arguments: dict[str, Any], site: Site, default_channels: str = ",".join(CHANNELS)) -> RunOptions:
    """RunOptions from the spider's ``-a`` arguments; ArgumentError names the first bad one.

    Arguments starting with ``_`` (scrapyd's ``_job``) are ignored.
    """
    unknown = sorted(k for k in arguments if k not in ACCEPTED and not k.startswith("_"))
    if unknown:
        raise ArgumentError(f"unknown argument {unknown[0]!r}: accepted are {', '.join(ACCEPTED)}")
    given = {k: v for k, v in arguments.items() if k in ACCEPTED and v is not None}

    url_values = [("urls", u) for u in str(given.get("urls", "")).split(",")]
    if "urls_file" in given:
        url_values += _read_urls_file(str(given["urls_file"]))
    urls = _article_urls(url_values, site)
    if ("urls" in given or "urls_file" in given) and not urls:
        raise ArgumentError("urls / urls_file name no article URL: give at least one, or leave both out")
    if urls:
        clash = sorted(k for k in ("sections", "max_pages", "channels", "since", "until", "refetch") if k in given)
        if clash:
            raise ArgumentError(
                f"{clash[0]} cannot be combined with urls or urls_file (those fetch exactly the given articles)"
            )
        return RunOptions(urls=urls, channels=())

    sections = SECTIONS
    if "sections" in given:
        try:
            sections = find_sections(str(given["sections"]))
        except ValueError as exc:
            raise ArgumentError(f"sections: {exc}") from None
    since, until = _window(given.get("since"), given.get("until"))
    default_pages = BACKFILL_MAX_PAGES if since else DEFAULT_MAX_PAGES
    max_pages = _positive_int("max_pages", given["max_pages"]) if "max_pages" in given else default_pages
    channels = (
        _channels(given["channels"], "channels")
        if "channels" in given
        else _channels(default_channels, "HERALD_CHANNELS")
    )
    refetch = str(given.get("refetch", "recent")).strip().lower()
    if refetch not in REFETCH:
        raise ArgumentError(f"refetch={given['refetch']!r} is not accepted: expected one of {', '.join(REFETCH)}")
    return RunOptions(
        sections=sections, sections_chosen="sections" in given, max_pages=max_pages, channels=channels,
        since=since, until=until, refetch=refetch,
    )


def _day(name: str, value: Any) -> date:
    try:
        return parse_day(str(value))
    except DateError as exc:
        raise ArgumentError(f"{name}: {exc}") from None


def _window(since_text: Any, until_text: Any) -> tuple[date | None, date | None]:
    """The backfill window: ``since`` required, ``until`` defaulting to today (Korea time)."""
    if since_text is None and until_text is None:
        return None, None
    if since_text is None:
        raise ArgumentError(f"until={until_text!r} needs since=YYYY-MM-DD (the window's first day)")
    since = _day("since", since_text)
    until = _day("until", until_text) if until_text is not None else datetime.now(KST).date()
    if since > until:
        raise ArgumentError(f"since={since.isoformat()} is after until={until.isoformat()}: the window is reversed")
    if since < date(1995, 1, 1):
        raise ArgumentError(f"since={since.isoformat()} is before the site's archive (1995-01-01 or later)")
    return since, until
