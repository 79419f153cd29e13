"""The ``herald`` spider: decides what to fetch and in what order; parsers and pipelines do the rest.

Discovery channels (``feed``, ``section``, ``sitemap``) each try their sources in order, current form first,
and count what answered. Every article URL found goes into the run's ledger once (by article id) and is
then fetched on the base URL, or skipped with a reason: already known and not due for a re-fetch, or
outside the backfill window. URLs earlier runs left pending or failed are fetched first. With ``urls`` or
``urls_file`` the spider fetches exactly those articles.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from .. import user_agent
from ..arguments import RunOptions, parse_arguments
from ..dates import KST, DateError, parse_kst
from ..extensions import RunState
from ..middlewares import classify
from ..pages.feed import feed_entries
from ..parsing import ParsePool
from ..pages.listing import read_listing
from ..runinfo import new_run_id
from ..sections import ALL_NEWS_FEEDS
from ..urls import DEFAULT_BASE_URL, Site, ud_date

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # articles before more list pages: items flow early, the queue stays short
SITEMAP_DEPTH = 3
DEFAULT_REFETCH_DAYS = 3
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _shown_day(value: str | None) -> date | None:
    """The Korea-time day of a date as a list, feed or sitemap shows it; None if it shows none we can read."""
    if not value:
        return None
    try:
        return parse_kst(value).date()
    except DateError:
        return None


class HeraldSpider(scrapy.Spider):
    name = "herald"

    site: Site
    options: RunOptions
    state: RunState | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._arguments = {k: v for k, v in kwargs.items() if k != "name"}
        super().__init__(*args, **{k: v for k, v in kwargs.items() if k.startswith("_") or k == "name"})
        self.run_id = new_run_id()
        self.started_at = datetime.now(timezone.utc)
        # Article requests wait here, as small tuples, until the downloader has room: a sitemap of 100,000
        # URLs must not become 100,000 Request objects in memory at once.
        self._backlog: deque[tuple[str, str, str]] = deque()

    @classmethod
    def update_settings(cls, settings) -> None:
        """Export to ``HERALD_OUTPUT_DIR/herald-<run id>.jsonl[.gz]`` unless FEEDS (or -o/-O) says otherwise."""
        super().update_settings(settings)
        contact = settings.get("HERALD_CONTACT")
        if contact and settings.getpriority("USER_AGENT") <= settings.getpriority("HERALD_CONTACT"):
            settings.set("USER_AGENT", user_agent(contact), priority=settings.getpriority("HERALD_CONTACT"))
        if not settings.getdict("FEEDS"):
            directory = Path(settings.get("HERALD_OUTPUT_DIR") or "output").expanduser().resolve()
            options: dict[str, Any] = {"format": "jsonlines", "encoding": "utf-8"}
            name = "herald-%(run_id)s.jsonl"
            if settings.getbool("HERALD_OUTPUT_GZIP"):
                name += ".gz"
                options["postprocessing"] = ["scrapy.extensions.postprocessing.GzipPlugin"]
            settings.set("FEEDS", {str(directory / name): options}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> HeraldSpider:
        spider: HeraldSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site = Site(settings.get("HERALD_BASE_URL") or DEFAULT_BASE_URL)
        spider.options = parse_arguments(
            spider._arguments, spider.site, settings.get("HERALD_CHANNELS", "feed,section,sitemap")
        )
        spider.argument_summary = spider.options.summary()
        spider.refetch_after = datetime.now(KST).date() - timedelta(
            days=settings.getint("HERALD_REFETCH_DAYS", DEFAULT_REFETCH_DAYS)
        )
        spider.fetched_recently_after = (
            datetime.now(timezone.utc) - timedelta(hours=settings.getfloat("HERALD_REFETCH_MIN_HOURS", 0))
        ).replace(microsecond=0).isoformat()
        # The offsite rule derives from the base URL: every request this spider makes goes there.
        spider.allowed_domains = [spider.site.base_host]
        spider.parser = ParsePool.from_crawler(crawler)
        return spider

    # -- bookkeeping ---------------------------------------------------------------------------------
    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"herald/{key}", count)

    # -- start -------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state = self.state or self.crawler.get_extension(RunState)
        if self.state is None or self.state.problems:
            logger.error("herald run %s does not start: %s", self.run_id,
                         "; ".join(self.state.problems) if self.state else "the RunState extension is off")
            return
        options = self.options
        logger.info(
            "herald run %s: base %s, %s",
            self.run_id,
            self.site.base_url,
            f"{len(options.urls)} explicit URLs" if options.explicit else f"{options.summary()}",
        )
        for owed in self.state.queued:  # URLs earlier runs owe go first
            self._article_requests([(owed.url, None)], owed.via, force=True, attempts=owed.attempts)
        if options.explicit:
            self._article_requests([(url, None) for url in options.urls], "urls", force=True)
            async for request in self._drain_backlog():
                yield request
            return
        if "feed" in options.channels:
            feeds = [] if options.sections_chosen else [list(ALL_NEWS_FEEDS)]
            feeds += [list(section.feeds) for section in options.sections]
            for sources in feeds:
                yield self._source_request("feed", sources, self.parse_feed)
        if "section" in options.channels:
            for section in options.sections:
                if options.backfill:  # the archive: walk every list form, each to the window's start
                    for path in section.list_paths:
                        yield self._source_request("section", [path], self.parse_listing, section=section.name, page=1)
                else:
                    yield self._source_request(
                        "section", list(section.list_paths), self.parse_listing, section=section.name, page=1
                    )
        if "sitemap" in options.channels:
            yield scrapy.Request(
                self.site.url("/robots.txt"),
                callback=self.parse_robots,
                errback=self.source_failed,
                meta={"channel": "sitemap", "sources": []},
                dont_filter=True,
            )
        async for request in self._drain_backlog():
            yield request

    async def _drain_backlog(self) -> AsyncIterator[scrapy.Request]:
        """Article requests from the backlog while the downloader has room, until discovery is over and the
        backlog is empty (so the engine holds at most a downloader's worth of Requests)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no engine running (the spider driven by hand): everything at once
            engine = None
        if engine is None:
            while self._backlog:
                yield self._article_request(*self._backlog.popleft())
            return
        while True:
            if self._backlog:
                if engine.needs_backout():
                    await asyncio.sleep(0.02)
                    continue
                yield self._article_request(*self._backlog.popleft())
            elif self._discovery_idle():
                return
            else:
                await asyncio.sleep(0.05)

    def _discovery_idle(self) -> bool:
        """Nothing in flight that could discover more: no download, no callback running, nothing scheduled."""
        engine = self.crawler.engine
        return (
            engine.scraper.slot is not None
            and engine.scraper.slot.is_idle()
            and not engine.downloader.active
            and not engine._slot.scheduler.has_pending_requests()  # noqa: SLF001 (Scrapy has no public form)
        )

    def _source_request(self, channel: str, sources: list[str], callback, **meta: Any) -> scrapy.Request:
        """A request for the first of a channel's sources; the rest are tried in turn if it fails."""
        path, rest = sources[0], sources[1:]
        return scrapy.Request(
            self.site.url(path),
            callback=callback,
            errback=self.source_failed,
            meta={"channel": channel, "sources": rest, **meta},
        )

    # -- channel outcomes ----------------------------------------------------------------------------
    def _source_answered(self, response: Response, found: int) -> Iterator[scrapy.Request]:
        """Count a source's answer; a source with no article link falls back to its next form."""
        channel = response.meta["channel"]
        if found:
            self._inc(f"channel/{channel}/ok")
            return
        logger.warning("%s source %s answered with no article link", channel, response.url)
        yield from self._next_source(response.meta, f"empty: {response.url}")

    def _next_source(self, meta: dict[str, Any], reason: str) -> Iterator[scrapy.Request]:
        channel = meta["channel"]
        self._inc(f"channel/{channel}/failed")
        rest = meta.get("sources") or []
        if rest:
            callback = self.parse_feed if channel == "feed" else self.parse_listing
            extra = {k: meta[k] for k in ("section", "page") if k in meta}
            yield self._source_request(channel, rest, callback, **extra)
        else:
            self._inc(f"channel/{channel}/gave_up")
            logger.warning("%s: every form of this source failed (last: %s)", channel, reason)

    def source_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request
        channel = request.meta.get("channel")
        reason = self._navigation_failed(failure, f"{channel} source")  # counted by _next_source
        yield from self._next_source(request.meta, f"{reason}: {request.url}")

    # -- discovery callbacks -------------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = feed_entries(response.body)
        queued = self._article_requests(((e.url, e.published) for e in entries), "feed")
        logger.info("feed %s: %d entries, %d to fetch", response.url, len(entries), queued)
        yield from self._source_answered(response, len(entries))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        page = response.meta["page"]
        text = response.text if isinstance(response, TextResponse) else ""
        listing = read_listing(response.url, text, page, lambda url: self.site.article_id(url) is not None)
        queued = self._article_requests(((e.url, e.shown_date) for e in listing.entries), "section")
        logger.info(
            "section %s page %d (%s): %d articles, %d to fetch",
            response.meta["section"], page, response.url, len(listing.entries), queued,
        )
        if page == 1:
            yield from self._source_answered(response, len(listing.entries))
        if not listing.entries or page >= self.options.max_pages:
            return
        if self.options.backfill and self._listing_before_window(listing):
            self._inc("backfill/stopped_paging")
            logger.info("section %s: page %d lists only articles before %s, paging stops",
                        response.meta["section"], page, self.options.since)
            return
        next_url = listing.next_url
        if next_url is None and not listing.has_pager and "/list.php" in response.url:
            # A legacy list without pager markup still takes np=<page>.
            next_url = add_or_replace_parameter(response.url, "np", str(page + 1))
        if next_url and self.site.owns(next_url):
            self._inc("section/pages_followed")
            yield scrapy.Request(
                self._on_base(next_url),
                callback=self.parse_listing,
                errback=self._page_failed,
                meta={"channel": "section", "section": response.meta["section"], "page": page + 1},
            )

    def _listing_before_window(self, listing) -> bool:
        """True when every entry of a (newest-first) list page is dated before the window's first day."""
        days = [self._entry_day(e.url, e.shown_date) for e in listing.entries]
        known = [d for d in days if d is not None]
        return bool(known) and len(known) == len(days) and max(known) < self.options.since

    def _navigation_failed(self, failure: Failure, what: str, stat: str | None = None) -> str:
        """Log (and count under ``stat``) a failed navigation request: feed, list page, sitemap; its reason."""
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage() or repr(failure.value)
        if stat:
            self._inc(stat)
        logger.warning("%s %s failed: %s", what, failure.request.url, reason)
        return reason

    def _page_failed(self, failure: Failure) -> None:
        self._navigation_failed(failure, "section page", "section/page_failed")

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not sitemaps:
            self._inc("channel/sitemap/gave_up")
            logger.info("robots.txt names no sitemap: the sitemap channel has nothing to read")
            return
        self._inc("channel/sitemap/ok")
        for url in sitemaps:
            if self.site.owns(url):
                yield self._sitemap_request(url, 0)
            else:
                self._inc("sitemap/offsite")
                logger.warning("sitemap %s is not on the site: skipped", url)

    def _sitemap_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(
            self._on_base(url), callback=self.parse_sitemap, errback=self._sitemap_failed, meta={"depth_sm": depth}
        )

    def _sitemap_failed(self, failure: Failure) -> None:
        self._navigation_failed(failure, "sitemap", "sitemap/failed")

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except (ValueError, OSError, EOFError) as exc:  # too large once inflated, or not gzip at all
                self._inc("sitemap/unreadable")
                logger.warning("sitemap %s refused: %s", response.url, exc)
                return
        if _ENTITY_DECLARATION.search(body[:8192]):
            # XXE or "billion laughs": entities are never expanded, and such a sitemap is not read at all.
            self._inc("sitemap/refused_entities")
            logger.warning("sitemap %s declares XML entities: refused (XXE / entity expansion)", response.url)
            return
        try:
            sitemap = Sitemap(body)
            entries = [(entry["loc"], entry.get("lastmod")) for entry in sitemap]
        except Exception as exc:  # lxml raises several types for a body that is not XML
            self._inc("sitemap/unreadable")
            logger.warning("sitemap %s unreadable: %s", response.url, exc)
            return
        closing = b"</sitemapindex>" if sitemap.type == "sitemapindex" else b"</urlset>"
        if closing not in body[-256:]:
            self._inc("sitemap/truncated")
            logger.warning("sitemap %s is truncated: %d URL(s) read before it ends", response.url, len(entries))
        if sitemap.type == "sitemapindex":
            depth = response.meta.get("depth_sm", 0) + 1
            for url, _ in entries:
                if depth <= SITEMAP_DEPTH and self.site.owns(url):
                    yield self._sitemap_request(url, depth)
            return
        queued = self._article_requests(entries, "sitemap")
        logger.info("sitemap %s: %d URLs, %d to fetch", response.url, len(entries), queued)  # to the backlog

    # -- articles ------------------------------------------------------------------------------------
    def _on_base(self, url: str) -> str:
        """The same path and query on this run's base URL (any site host maps to it)."""
        parts = urlsplit(url)
        return self.site.base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _entry_day(self, url: str, shown: str | None) -> date | None:
        day = _shown_day(shown)
        if day is None:
            article_id = self.site.article_id(url)
            if article_id and len(article_id) == 14:
                day = date.fromisoformat(ud_date(article_id))
        return day

    def _skip_reason(self, article_id: str, day: date | None) -> str | None:
        """Why a discovered article is not fetched: outside the backfill window, or known and not due."""
        if day is not None and not self.options.in_window(day):
            return "outside_window"
        store = self.state.store
        known = store.article(store.resolve(article_id)) if store is not None else None
        if known is None or not known.version or self.options.refetch == "all":
            return None
        if known.last_fetched and known.last_fetched > self.fetched_recently_after:
            return "fetched_recently"  # HERALD_REFETCH_MIN_HOURS spaces re-fetches of recent articles
        # An article whose page showed no date counts from when it was first seen: without a day it would
        # be re-fetched by every run for ever.
        published = _shown_day(known.published_at) or day or _shown_day(known.first_seen)
        if published is None or published >= self.refetch_after:
            return None  # recent: re-fetched to catch updates
        return "already_known"

    def _article_requests(
        self, entries: Iterable[tuple[str, str | None]], via: str, force: bool = False, attempts: int = 0
    ) -> int:
        """Put the article URLs of ``entries`` in the ledger, and those to fetch in the backlog; their number."""
        queued = 0
        for url, shown in entries:
            self._inc(f"discovered/{via}")
            article_id = self.site.article_id(url)
            if article_id is None:
                self._inc("discovered/not_article")
                logger.debug("not an article URL: %s", url)
                continue
            if not self.state.ledger.discover(article_id, url, via, attempts):
                self._inc("discovered/repeat")
                continue
            reason = None if force else self._skip_reason(article_id, self._entry_day(url, shown))
            if reason:
                self.state.ledger.skipped(article_id, reason)
                self._inc(f"skipped/{reason}")
                continue
            self._backlog.append((article_id, via, url))
            queued += 1
        return queued

    def _article_request(self, article_id: str, via: str, url: str) -> scrapy.Request:
        self._inc("articles/requested")
        return scrapy.Request(
            self.site.article_fetch_url(article_id),
            callback=self.parse_article,
            errback=self.article_failed,
            priority=ARTICLE_PRIORITY,
            meta={"article_id": article_id, "discovered_via": via},
            # Ids are deduplicated in the ledger; a redirect onto an id fetched already is parsed and dropped
            # as a duplicate with its reason counted, not silently filtered.
            dont_filter=True,
        )

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        self._inc("articles/fetched")
        key = response.meta.get("article_id") or self.site.article_id(response.url) or response.url
        if not isinstance(response, TextResponse):
            self._drop(key, "not_html", f"{response.url}: not an HTML page")
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        outcome = await self.parser.read(response.url, response.body, content_type)
        if outcome[0] == "dropped":
            self._drop(key, outcome[1], outcome[2])
            return
        if outcome[0] == "error_page":
            self._inc("failed/error_page")
            self.state.ledger.failed(key, "error_page")
            logger.warning("%s", outcome[1])
            return
        page, encoding = outcome[1], outcome[2]
        self._inc(f"charset/{encoding}")
        self._inc(f"layout/{page.layout}")
        page.discovered_via = response.meta.get("discovered_via", "urls")
        page.crawled_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        page.requested_id = key
        yield page

    def _drop(self, key: str, reason: str, message: str) -> None:
        self._inc(f"dropped/{reason}")
        self.state.ledger.dropped(key, reason)
        logger.warning("dropped (%s): %s", reason, message)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        key = request.meta.get("article_id", request.url)
        outcome, reason = classify(failure.value)
        self._inc(f"{outcome}/{reason}")
        if outcome == "failed":
            self.state.ledger.failed(key, reason)
            logger.warning("article %s failed: %s (%s)", request.url, reason, failure.getErrorMessage())
        elif outcome == "skipped":
            self.state.ledger.skipped(key, reason)
            response = getattr(failure.value, "response", None)
            target = response.headers.get(b"Location", b"").decode("latin-1") if response is not None else ""
            if target:
                logger.warning("refused a redirect off the site: %s -> %s", request.url, target)
            else:
                logger.info("article %s skipped: %s", request.url, reason)
        else:  # postponed: stays pending, owed to a later run
            logger.info("article %s postponed: %s", request.url, reason)
