"""The ``herald`` spider: decides what to fetch and in what order; parsers and pipelines do the rest.

Discovery channels (``feed``, ``section``, ``sitemap``) each try their sources in order, current form first,
and count what answered; each article id is requested once, at the run's base URL. With ``urls`` or
``urls_file`` the spider fetches exactly those articles.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from ..arguments import RunOptions, parse_arguments
from ..pages import ParseError, parse_article
from ..pages.feed import feed_entries
from ..pages.listing import read_listing
from ..runinfo import new_run_id
from ..sections import ALL_NEWS_FEEDS
from ..urls import DEFAULT_BASE_URL, Site

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # articles before more list pages: items flow early, the queue stays short
SITEMAP_DEPTH = 3


class HeraldSpider(scrapy.Spider):
    name = "herald"

    site: Site
    options: RunOptions

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._arguments = {k: v for k, v in kwargs.items() if k not in ("name",)}
        super().__init__(*args, **{k: v for k, v in kwargs.items() if k.startswith("_") or k == "name"})
        self.run_id = new_run_id()
        self.started_at = datetime.now(timezone.utc)
        self._requested: set[str] = set()

    @classmethod
    def update_settings(cls, settings) -> None:
        """Export to ``HERALD_OUTPUT_DIR/herald-<run id>.jsonl`` unless FEEDS (or -o/-O) says otherwise."""
        super().update_settings(settings)
        if not settings.getdict("FEEDS"):
            directory = Path(settings.get("HERALD_OUTPUT_DIR") or "output").expanduser().resolve()
            settings.set(
                "FEEDS",
                {str(directory / "herald-%(run_id)s.jsonl"): {"format": "jsonlines", "encoding": "utf-8"}},
                priority="spider",
            )

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> HeraldSpider:
        spider: HeraldSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site = Site(settings.get("HERALD_BASE_URL") or DEFAULT_BASE_URL)
        spider.options = parse_arguments(
            spider._arguments, spider.site, settings.get("HERALD_CHANNELS", "feed,section,sitemap")
        )
        # The offsite rule derives from the base URL: every request this spider makes goes there.
        spider.allowed_domains = [spider.site.base_host]
        return spider

    # -- bookkeeping ---------------------------------------------------------------------------------
    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"herald/{key}", count)

    # -- start -------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        options = self.options
        logger.info(
            "herald run %s: base %s, %s",
            self.run_id,
            self.site.base_url,
            f"{len(options.urls)} explicit URLs"
            if options.explicit
            else f"channels {','.join(options.channels)}, sections {','.join(s.name for s in options.sections)}, "
            f"max_pages {options.max_pages}",
        )
        if options.explicit:
            for url in options.urls:
                for request in self._article_requests([url], "urls"):
                    yield request
            return
        if "feed" in options.channels:
            feeds = [] if options.sections_chosen else [list(ALL_NEWS_FEEDS)]
            feeds += [list(section.feeds) for section in options.sections]
            for sources in feeds:
                yield self._source_request("feed", sources, self.parse_feed)
        if "section" in options.channels:
            for section in options.sections:
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
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage() or repr(failure.value)
        logger.warning("%s source %s failed: %s", request.meta.get("channel"), request.url, reason)
        yield from self._next_source(request.meta, f"{reason}: {request.url}")

    # -- discovery callbacks -------------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = feed_entries(response.body)
        requests = list(self._article_requests((e.url for e in entries), "feed"))
        logger.info("feed %s: %d entries, %d new article requests", response.url, len(entries), len(requests))
        yield from requests
        yield from self._source_answered(response, len(entries))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        page = response.meta["page"]
        text = response.text if isinstance(response, TextResponse) else ""
        listing = read_listing(response.url, text, page, lambda url: self.site.article_id(url) is not None)
        requests = list(self._article_requests((e.url for e in listing.entries), "section"))
        logger.info(
            "section %s page %d (%s): %d articles, %d new",
            response.meta["section"], page, response.url, len(listing.entries), len(requests),
        )
        yield from requests
        if page == 1:
            yield from self._source_answered(response, len(listing.entries))
        if listing.entries and page < self.options.max_pages:
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

    def _page_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        self._inc("section/page_failed")
        logger.warning("section page %s failed: %s", failure.request.url, reason)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not sitemaps:
            self._inc("channel/sitemap/gave_up")
            logger.info("robots.txt names no sitemap: the sitemap channel has nothing to read")
            return
        self._inc("channel/sitemap/ok")
        for url in sitemaps:
            if self.site.owns(url):
                yield scrapy.Request(
                    self._on_base(url), callback=self.parse_sitemap, errback=self._sitemap_failed, meta={"depth_sm": 0}
                )
            else:
                self._inc("sitemap/offsite")
                logger.warning("sitemap %s is not on the site: skipped", url)

    def _sitemap_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        self._inc("sitemap/failed")
        logger.warning("sitemap %s failed: %s", failure.request.url, reason)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types for a body that is not XML
            self._inc("sitemap/unreadable")
            logger.warning("sitemap %s unreadable: %s", response.url, exc)
            return
        locations = [entry["loc"] for entry in sitemap]
        if sitemap.type == "sitemapindex":
            depth = response.meta.get("depth_sm", 0) + 1
            for url in locations:
                if depth <= SITEMAP_DEPTH and self.site.owns(url):
                    yield scrapy.Request(
                        self._on_base(url), callback=self.parse_sitemap, errback=self._sitemap_failed,
                        meta={"depth_sm": depth},
                    )
            return
        requests = list(self._article_requests(locations, "sitemap"))
        logger.info("sitemap %s: %d URLs, %d new article requests", response.url, len(locations), len(requests))
        yield from requests

    # -- articles ------------------------------------------------------------------------------------
    def _on_base(self, url: str) -> str:
        """The same path and query on this run's base URL (any site host maps to it)."""
        parts = urlsplit(url)
        return self.site.base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _article_requests(self, urls, via: str) -> Iterator[scrapy.Request]:
        for url in urls:
            self._inc(f"discovered/{via}")
            article_id = self.site.article_id(url)
            if article_id is None:
                self._inc("discovered/not_article")
                logger.debug("not an article URL: %s", url)
                continue
            if article_id in self._requested:
                self._inc("discovered/repeat")
                continue
            self._requested.add(article_id)
            self._inc("articles/requested")
            yield scrapy.Request(
                self.site.article_fetch_url(article_id),
                callback=self.parse_article,
                errback=self.article_failed,
                priority=ARTICLE_PRIORITY,
                meta={"article_id": article_id, "discovered_via": via},
                # Ids are deduplicated above; a redirect onto an id fetched already is parsed and dropped as a
                # duplicate with its reason counted, not silently filtered.
                dont_filter=True,
            )

    def parse_article(self, response: Response) -> Iterator[Any]:
        self._inc("articles/fetched")
        if not isinstance(response, TextResponse):
            self._drop(response.url, "not_html", f"{response.url}: not an HTML page")
            return
        try:
            page = parse_article(response.url, response.text)
        except ParseError as exc:
            self._drop(response.url, exc.reason, str(exc))
            return
        self._inc(f"layout/{page.layout}")
        page.discovered_via = response.meta.get("discovered_via", "urls")
        page.crawled_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        yield page

    def _drop(self, url: str, reason: str, message: str) -> None:
        self._inc(f"dropped/{reason}")
        logger.warning("dropped (%s): %s", reason, message)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self._inc(f"failed/{reason}")
        logger.warning("article %s failed: %s", request.url, reason)
