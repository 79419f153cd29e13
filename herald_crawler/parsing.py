"""Reading fetched article pages, in the crawl's process or on worker processes.

``read_page`` is the whole of it (decode the bytes, then the layout parser): a pure function, so it can run
on other cores. With ``HERALD_PARSE_WORKERS`` > 0 a crawl sends pages to that many worker processes
(spawned, so they inherit nothing of the crawl but their imports) while it goes on downloading; the item
pipelines still run in the crawl. Parsing is most of a page's CPU cost: on a machine with spare cores this
raises the article rate when politeness allows it (rebuilding from the archive, mirrors); a polite crawl of
the real site, one request a second, does not need it (default 0).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import signals

from .charset import UndecodablePage, decode_html
from .pages import Page, ParseError, parse_article


def read_page(url: str, body: bytes, content_type: str) -> tuple[str, Any]:
    """``("page", Page, encoding)``, or ``("error_page", message)`` for a 200 that is a consent or error
    page, or ``("dropped", reason, message)``."""
    try:
        text, encoding = decode_html(body, content_type)
    except UndecodablePage as exc:
        return ("dropped", "undecodable", f"{url}: {exc}")
    try:  # UTF-8 bytes go to the parser as they are: no second encoding
        return ("page", parse_article(url, body if encoding == "utf-8" else text), encoding)
    except ParseError as exc:
        if exc.reason == "error_page":
            return ("error_page", str(exc))
        return ("dropped", exc.reason, str(exc))


class ParsePool:
    """``await pool.read(url, body, content_type)``: ``read_page`` here, or on worker processes.

    ``pool.submit(...)`` starts a read and returns its future at once, so a caller can keep several pages
    in flight (the rebuild does); without workers the read happens in the call and the future is done.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParsePool:
        """A pool of ``HERALD_PARSE_WORKERS`` workers, shut down when the crawler's spider closes."""
        pool = cls(crawler.settings.getint("HERALD_PARSE_WORKERS", 0))
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def submit(self, url: str, body: bytes, content_type: str) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        if self.workers <= 0:
            done = loop.create_future()
            done.set_result(read_page(url, body, content_type))
            return done
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return loop.run_in_executor(self._executor, read_page, url, body, content_type)

    async def read(self, url: str, body: bytes, content_type: str) -> tuple[str, Any]:
        return await self.submit(url, body, content_type)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


__all__ = ["Page", "ParsePool", "read_page"]
