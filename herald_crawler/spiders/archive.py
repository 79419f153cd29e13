"""The ``herald_archive`` spider: rebuilds the dataset from the page archive, without touching the site.

``scrapy crawl herald_archive -a archive=archive/`` reads every article page of the given WARC files (or
directories of them) in the order they were fetched and sends it through the same parsers and item
pipelines as a crawl, into a fresh JSON Lines file with its manifest. Each distinct content of an article
is exported once, versions numbered in archive order, so an improved parser can rebuild history. With
``HERALD_PARSE_WORKERS`` > 0 the pages are parsed on that many worker processes, several in flight, while
this process runs the pipelines; items still come out in archive order. The
state is a fresh file of its own (``state/rebuild/<time>-<hex>.sqlite``, beside the default state) unless
``HERALD_STATE_PATH`` is given.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import scrapy

from ..archive import ArchivedPage, archive_files, read_archive
from ..extensions import RunState
from ..parsing import ParsePool
from ..runinfo import new_run_id
from .herald import HeraldSpider

logger = logging.getLogger(__name__)


class ArgumentError(ValueError):
    pass


def archive_arguments(archive: str | None = None, **kwargs: Any) -> list[Path]:
    """The WARC files ``-a archive=`` names (files or directories, comma-separated). Raises ArgumentError."""
    unknown = sorted(k for k in kwargs if not k.startswith("_") and k != "name")
    if unknown:
        raise ArgumentError(f"unknown argument {unknown[0]!r}: herald_archive accepts archive")
    if not archive:
        raise ArgumentError("archive= is required: WARC files or directories, comma-separated")
    files = archive_files(part.strip() for part in archive.split(",") if part.strip())
    missing = [str(p) for p in files if not p.exists()]
    if missing or not files:
        raise ArgumentError(f"archive={archive!r}: no such file or directory: {', '.join(missing) or archive}")
    return files


class ArchiveSpider(scrapy.Spider):
    name = "herald_archive"
    rebuild_history = True  # DedupPipeline: one export per (article, content), not per article

    def __init__(self, archive: str | None = None, **kwargs: Any) -> None:
        super().__init__(**{k: v for k, v in kwargs.items() if k.startswith("_") or k == "name"})
        self.files = archive_arguments(archive, **kwargs)
        self.run_id = new_run_id()
        self.started_at = datetime.now(timezone.utc)
        self.options = None
        self.argument_summary = {"archive": [str(p) for p in self.files]}
        self.state: RunState | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.parser = ParsePool.from_crawler(crawler)
        return spider

    @classmethod
    def update_settings(cls, settings) -> None:
        HeraldSpider.update_settings(settings)  # the same export
        if settings.getpriority("HERALD_STATE_PATH") <= settings.getpriority("HERALD_OUTPUT_DIR"):
            directory = Path(settings.get("HERALD_STATE_PATH") or "state/herald.sqlite").parent
            settings.set("HERALD_STATE_PATH", str(directory / "rebuild" / f"{new_run_id()}.sqlite"), priority="spider")
        settings.set("HERALD_ARCHIVE_ENABLED", False, priority="spider")  # reading the archive, not writing it

    async def start(self) -> AsyncIterator[Any]:
        self.state = self.crawler.get_extension(RunState)
        if self.state is None or self.state.problems:
            return
        stats, ledger = self.crawler.stats, self.state.ledger
        # Pages handed to the parse workers ahead of the one whose item comes next (none without workers).
        ahead = 4 * self.parser.workers
        in_flight: deque[tuple[ArchivedPage, str, asyncio.Future]] = deque()
        number = 0
        for path in self.files:
            logger.info("rebuilding from %s", path)
            for page in read_archive(path):
                number += 1
                key = f"{page.article_id or page.url}#{number}"
                ledger.discover(key, page.url, page.discovered_via)
                stats.inc_value("herald/archive/pages")
                in_flight.append((page, key, self.parser.submit(page.url, page.body, page.content_type)))
                while len(in_flight) > ahead:
                    item = await self._item(*in_flight.popleft())
                    if item is not None:
                        yield item
        while in_flight:
            item = await self._item(*in_flight.popleft())
            if item is not None:
                yield item

    async def _item(self, page: ArchivedPage, key: str, outcome: asyncio.Future) -> Any:
        """The page's item once its read is done, or None (its drop counted and closed in the ledger)."""
        stats, ledger = self.crawler.stats, self.state.ledger
        result = await outcome
        if result[0] != "page":
            reason = result[1] if result[0] == "dropped" else "error_page"
            stats.inc_value(f"herald/dropped/{reason}")
            ledger.dropped(key, reason)
            return None
        parsed = result[1]
        stats.inc_value(f"herald/layout/{parsed.layout}")
        parsed.discovered_via = page.discovered_via
        parsed.crawled_at = _utc(page.fetched_at)
        parsed.requested_id = key
        return parsed


def _utc(warc_date: str) -> str:
    """A WARC-Date (``2026-11-28T02:15:30Z``) as the items' ``crawled_at`` form."""
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00")) if warc_date else datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()
