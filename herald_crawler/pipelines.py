"""Item pipelines, each doing one thing, in this order: clean, dates, validate, deduplicate.

A dropped item raises DropItem after counting its reason under ``herald/dropped/<reason>``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from .cleaning import build_article
from .dates import DateError, to_kst_iso
from .items import Article
from .pages import Page
from .validation import problems

logger = logging.getLogger(__name__)


class _Pipeline:
    def __init__(self, crawler: Crawler | None = None) -> None:
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def drop(self, reason: str, message: str, log_level: str | None = None) -> DropItem:
        if self.stats is not None:
            self.stats.inc_value(f"herald/dropped/{reason}")
        return DropItem(f"{reason}: {message}", log_level=log_level)


class CleanPipeline(_Pipeline):
    """Page (as the parser read it) -> Article: boilerplate out, captions to images, bylines to authors."""

    def process_item(self, item):
        if not isinstance(item, Page):
            return item
        article = build_article(item, item.crawled_at or "", item.discovered_via)
        if not article.body:
            raise self.drop("no_body", f"{item.url}: nothing left of the body after cleaning")
        return article


class DatesPipeline(_Pipeline):
    """``published_at`` / ``updated_at`` as shown -> ISO 8601 in Korea time (``+09:00``)."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        try:
            item.published_at = to_kst_iso(item.published_at)
            item.updated_at = to_kst_iso(item.updated_at)
        except DateError as exc:
            raise self.drop("bad_date", f"{item.url}: {exc}") from None
        return item


class ValidatePipeline(_Pipeline):
    """Every item against the shipped JSON Schema; an invalid one is dropped with its first problem."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        found = problems(asdict(item))
        if found:
            field = found[0].split(":", 1)[0].split("/", 1)[0]
            raise self.drop(f"invalid/{field}", f"{item.url}: {'; '.join(found)}")
        return item


class DedupPipeline(_Pipeline):
    """Each article id once per run: two hosts, two schemes, feed and section all reach the same article."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.article_id in self.seen:
            raise self.drop("duplicate", f"{item.url}: article {item.article_id} already exported in this run", "INFO")
        self.seen.add(item.article_id)
        return item
