"""Downloader middlewares that make the crawl hold up under faults and hostile answers.

- ``SiteOnlyMiddleware``: every request, start URLs and redirect targets included, must be http(s) on the
  run's site (the base URL's host and port; the other Korea Herald hosts too when crawling the real site).
  Anything else (``file:``, ``data:``, ``ftp:``, another host) is refused and recorded.
- ``BackoffRetryMiddleware``: Scrapy's retries, plus ``Retry-After`` honoured (capped) on 429 and 503 and a
  per-host backoff: the host's download slot waits before its next request.
- ``BlockMiddleware``: stops the run with reason ``blocked`` when most recent responses are 403/429.
- ``PostponingRobotsTxtMiddleware``: a robots.txt that answers 5xx or cannot be fetched postpones the crawl
  of that host (nothing is fetched from it) instead of allowing everything.
- ``QuickMetaRefreshMiddleware``: Scrapy's meta refresh redirects, without decoding every page to look.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import TimeoutError as TwistedTimeout

from .urls import DEFAULT_BASE_URL, Site

logger = logging.getLogger(__name__)


class OffsiteRefused(IgnoreRequest):
    """A request to somewhere other than the site (scheme or host)."""


class RobotsPostponed(IgnoreRequest):
    """robots.txt could not be read (5xx or no answer): the host is not crawled this run."""


class SiteOnlyMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.site = Site(crawler.settings.get("HERALD_BASE_URL") or DEFAULT_BASE_URL)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteOnlyMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not self.site.fetchable(request.url):
            self.crawler.stats.inc_value("herald/offsite/refused")
            redirected = request.meta.get("redirect_urls")
            where = f" (redirected from {redirected[0]})" if redirected else ""
            logger.warning("refused a request off the site: %s%s", request.url, where)
            raise OffsiteRefused(f"offsite: {request.url}{where}")


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries as Scrapy does; on 429 and 503 the host waits ``Retry-After`` seconds (at most
    ``HERALD_RETRY_AFTER_MAX``) or, without the header, an exponential backoff before its next request."""

    BACKOFF_CODES = (429, 503)

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("HERALD_RETRY_AFTER_MAX", 120.0)
        self.base_wait = settings.getfloat("HERALD_BACKOFF_BASE", 2.0)
        self._restore: dict[str, tuple[float, float]] = {}  # slot key -> (delay, jitter) before the backoff
        self._until: dict[str, float] = {}  # slot key -> when its backoff ends

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if response.status in self.BACKOFF_CODES and not request.meta.get("dont_retry"):
            retries = request.meta.get("retry_times", 0)
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            wait = min(self.max_wait, asked if asked is not None else self.base_wait * 2**retries)
            self._back_off(request, wait)
            self.crawler.stats.inc_value("herald/backoff/count")
            logger.info("%s answered %d: waiting %.1f s before this host's next request%s", request.url,
                        response.status, wait, " (Retry-After)" if asked is not None else "")
        elif response.status < 400 and self._restore:  # a host is backing off: maybe this one
            self._recover(request)
        return super().process_response(request, response)

    def _slot(self, request: Request) -> tuple[str, Any]:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def _back_off(self, request: Request, wait: float) -> None:
        key, slot = self._slot(request)
        if slot is None:
            return
        self._restore.setdefault(key, (slot.delay, slot.jitter))
        now = monotonic()
        until = self._until[key] = max(self._until.get(key, 0.0), now + wait)  # the longest wait asked wins
        slot.delay, slot.jitter = max(until - now, self._restore[key][0]), 0.0
        slot.lastseen = now  # the wait starts now, when the refusal arrived

    def _recover(self, request: Request) -> None:
        """After the backoff has run its course, a good answer gives the host its usual pace back."""
        key, slot = self._slot(request)
        if slot is not None and key in self._restore and monotonic() >= self._until.get(key, 0.0):
            slot.delay, slot.jitter = self._restore.pop(key)
            self._until.pop(key, None)


class BlockMiddleware:
    """Stop the run (reason ``blocked``) when ``HERALD_BLOCK_RATIO`` of the last ``HERALD_BLOCK_WINDOW``
    responses (at least ``HERALD_BLOCK_MIN``) were 403 or 429."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.window: deque[int] = deque(maxlen=settings.getint("HERALD_BLOCK_WINDOW", 20))
        self.minimum = settings.getint("HERALD_BLOCK_MIN", 10)
        self.ratio = settings.getfloat("HERALD_BLOCK_RATIO", 0.5)
        self.stopped = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlockMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        self.window.append(response.status)
        refused = sum(1 for status in self.window if status in (403, 429))
        if not self.stopped and len(self.window) >= self.minimum and refused / len(self.window) >= self.ratio:
            self.stopped = True
            message = f"{refused} of the last {len(self.window)} responses were 403/429"
            self.crawler.stats.set_value("herald/blocked", message)
            logger.error("the site is blocking this crawler (%s): stopping the run", message)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="blocked"))
        return response


class PostponingRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Obeys robots.txt like Scrapy's, but a robots.txt answering 5xx (or not at all) postpones the host
    for this run instead of allowing everything. 404 and other 4xx mean no rules, as the standard says."""

    _DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.postponed: dict[str, str] = {}  # netloc -> why

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._postpone(netloc, f"robots.txt answered HTTP {response.status}")
            response = response.replace(body=self._DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._postpone(netloc, f"robots.txt could not be fetched ({type(exc).__name__})")
        super()._robots_error(exc, netloc)  # no parser; process_request_2 refuses the postponed host first

    def _postpone(self, netloc: str, why: str) -> None:
        self.postponed[netloc] = why
        self.crawler.stats.set_value("herald/robots/postponed", f"{netloc}: {why}")
        logger.error("%s: the crawl of %s is postponed to a later run", why, netloc)

    def process_request_2(self, rp: Any, request: Request) -> None:
        netloc = urlsplit(request.url).netloc
        if netloc in self.postponed:
            raise RobotsPostponed(f"postponed: {self.postponed[netloc]}")
        super().process_request_2(rp, request)


def classify(exception: BaseException) -> tuple[str, str]:
    """Where a request that ended in ``exception`` goes in the ledger: (outcome, reason).

    Outcomes: ``failed`` (retried by later runs), ``skipped`` (not to be fetched), ``pending`` (postponed).
    """
    message = str(exception)
    if isinstance(exception, RobotsPostponed):
        return "pending", "robots_unavailable"
    if isinstance(exception, OffsiteRefused):
        return "skipped", "offsite"
    response = getattr(exception, "response", None)
    if response is not None:  # HttpError
        if 300 <= response.status < 400:  # a redirect not followed: its target is no http(s) URL
            return "skipped", "offsite"
        return "failed", f"http_{response.status}"
    if isinstance(exception, IgnoreRequest):
        if "robots.txt" in message:
            return "skipped", "robots"
        if "max redirections" in message:
            return "failed", "redirect_loop"
        if "DOWNLOAD_MAXSIZE" in message:
            return "failed", "too_large"
        return "skipped", "filtered"
    if isinstance(exception, (DownloadTimeoutError, TwistedTimeout)):
        return "failed", "timeout"
    if isinstance(exception, DownloadCancelledError):
        # Scrapy cancels a download only when its body passes DOWNLOAD_MAXSIZE (announced or received).
        return "failed", "too_large"
    if isinstance(exception, ResponseDataLossError):
        return "failed", "data_loss"
    if isinstance(exception, DownloadConnectionRefusedError):
        return "failed", "connection_refused"
    if isinstance(exception, DownloadFailedError):
        return "failed", "connection_failed"
    return "failed", type(exception).__name__


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, asked only about pages that can hold a refresh.

    Scrapy's looks for ``<meta http-equiv="refresh">`` in the first 4096 characters of every HTML page,
    decoding the whole page to get them (about 0.2 ms a 100 KB article page, in the crawl's one thread).
    A refresh needs the bytes ``http-equiv`` there; 4096 characters are at most 4 x 4096 bytes in any
    ASCII-compatible encoding. UTF-16 pages (a byte-order mark) are left to Scrapy.
    """

    _HEAD_BYTES = 4 * 4096

    def process_response(self, request: Request, response: Response) -> Any:
        body = response.body
        if not body.startswith((b"\xff\xfe", b"\xfe\xff")) and b"http-equiv" not in body[: self._HEAD_BYTES].lower():
            return response
        return super().process_response(request, response)
