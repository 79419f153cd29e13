"""The spider's arguments (``-a name=value``), checked before anything is fetched.

A bad value stops the run at once with an error that names the value and what is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sections import SECTIONS, Section, find_sections
from .urls import Site

CHANNELS = ("feed", "section", "sitemap")
DEFAULT_MAX_PAGES = 3
ACCEPTED = ("urls", "urls_file", "sections", "max_pages", "channels")


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

    @property
    def explicit(self) -> bool:
        return bool(self.urls)


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
        clash = sorted(k for k in ("sections", "max_pages", "channels") if k in given)
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
    max_pages = _positive_int("max_pages", given["max_pages"]) if "max_pages" in given else DEFAULT_MAX_PAGES
    channels = (
        _channels(given["channels"], "channels")
        if "channels" in given
        else _channels(default_channels, "HERALD_CHANNELS")
    )
    return RunOptions(
        sections=sections, sections_chosen="sections" in given, max_pages=max_pages, channels=channels
    )
