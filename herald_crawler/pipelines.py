"""Item pipelines, each doing one thing, in this order:

clean (and count how each field was found) -> backfill window -> deduplicate (within the run) -> changes (new
or changed since the last run? version) -> near-duplicates (duplicate_of) -> validate -> record (stage the
state update, close the ledger entry). Dates arrive in ISO 8601 Korea time from the parsers.

A dropped item raises DropItem after counting its reason under ``herald/dropped/<reason>`` and closing its
ledger entry. Without a crawl (``herald_crawler.offline``) there is no state: every article is new.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from scrapy.exceptions import DropItem

from .cleaning import build_article
from .extensions import RunState
from .items import REQUIRED_FIELDS, Article, exported
from .neardup import THRESHOLD, signature
from .pages import Page
from .store import ArticleState
from .validation import problems

logger = logging.getLogger(__name__)


class _Pipeline:
    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats if crawler is not None else None
        self.run: RunState | None = crawler.get_extension(RunState) if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Any):
        return cls(crawler)

    @property
    def store(self):
        return self.run.store if self.run is not None else None

    @property
    def explicit(self) -> bool:
        spider = getattr(self.crawler, "spider", None)
        return bool(getattr(getattr(spider, "options", None), "explicit", False))

    def inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"herald/{key}")

    def drop(self, item: Any, reason: str, message: str, log_level: str | None = None) -> DropItem:
        self.inc(f"dropped/{reason}")
        if self.run is not None:
            self.run.ledger.dropped(getattr(item, "requested_id", "") or item.article_id, reason)
        return DropItem(f"{reason}: {message}", log_level=log_level)

    def remember_alias(self, item: Article) -> None:
        """A URL naming one id that served another (a redirect): the next run knows where it leads."""
        if self.run is not None and self.store is not None and item.requested_id not in ("", item.article_id):
            self.store.stage_alias(self.run.run_id, item.requested_id, item.article_id)


class CleanPipeline(_Pipeline):
    """Page (as the parser read it) -> Article: boilerplate out, captions to images, bylines to authors.

    Counts how every article's fields were found (``herald/extraction/source/<field>/<source>``, and
    ``.../missing/<field>``) and what could not be read (``herald/extraction/warnings/<field>``), logging
    each article that has warnings: a field that cannot be read costs the field, never the article."""

    def process_item(self, item):
        if not isinstance(item, Page):
            return item
        article = build_article(item, item.crawled_at or "", item.discovered_via)
        article.requested_id = item.requested_id or item.article_id
        self.count(article)
        return article

    def count(self, article: Article) -> None:
        extraction = article.extraction
        for name, source in extraction["sources"].items():
            self.inc(f"extraction/source/{name}/{source}" if source else f"extraction/missing/{name}")
        warnings = extraction["warnings"]
        if warnings:
            self.inc("extraction/pages_with_warnings")
            for name in dict.fromkeys(warning.split(":", 1)[0] for warning in warnings):
                self.inc(f"extraction/warnings/{name}")  # articles with a warning about this field
            logger.warning("article %s read with warnings (%s layout): %s", article.url, article.layout,
                           "; ".join(warnings))


class WindowPipeline(_Pipeline):
    """In a backfill (``since``/``until``), an article published outside the window is skipped, not exported.

    Most are skipped before download from the date their listing shows; this catches the rest."""

    def process_item(self, item):
        options = getattr(getattr(self.crawler, "spider", None), "options", None)
        if not isinstance(item, Article) or options is None or not options.backfill or item.published_at is None:
            return item
        if options.in_window(date.fromisoformat(item.published_at[:10])):
            return item
        self.inc("skipped/outside_window")
        if self.run is not None:
            self.run.ledger.skipped(item.requested_id or item.article_id, "outside_window")
        raise DropItem(f"outside_window: {item.url} published {item.published_at}", log_level="DEBUG")


class DedupPipeline(_Pipeline):
    """Each article id once per run: two hosts, two schemes, feed and section all reach the same article."""

    def __init__(self, crawler: Any = None) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        # Rebuilding history from the archive, each distinct content of an article counts once.
        key = (item.article_id, item.content_hash) if self.history else item.article_id
        if key in self.seen:
            self.remember_alias(item)
            raise self.drop(
                item, "duplicate", f"{item.url}: article {item.article_id} already exported in this run", "INFO"
            )
        self.seen.add(key)
        return item

    @property
    def history(self) -> bool:
        return bool(getattr(getattr(self.crawler, "spider", None), "rebuild_history", False))


class ChangePipeline(_Pipeline):
    """Only what is new or changed since the last run goes out: ``version`` 1 when new, +1 when the content
    hash changed; an unchanged article is not exported (a run given explicit URLs exports it anyway)."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        known = self.store.article(item.article_id, self.run.run_id) if self.store is not None else None
        item.known = known
        if known is None or not known.version:
            item.version = 1
            return item
        item.duplicate_of = known.duplicate_of  # a known article keeps what it was found to duplicate
        if known.content_hash != item.content_hash:
            item.version = known.version + 1
            self.inc("articles/changed")
            return item
        item.version = known.version
        if self.explicit:
            return item
        self.inc("articles/unchanged")
        self.remember_alias(item)
        if self.run is not None:
            self.run.ledger.unchanged(item.requested_id or item.article_id)
            self.run.store.stage(self.run.run_id, _state(item, known, "unchanged", self.run.run_id))
        raise DropItem(f"unchanged: {item.url}", log_level="DEBUG")


class NearDuplicatePipeline(_Pipeline):
    """A new article whose body nearly equals an earlier one's gets ``duplicate_of`` that article's id."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        item.signature = signature(item.body)
        if self.store is None or item.version != 1:  # only a new article is looked up; a known one kept its own
            return item
        item.duplicate_of = self.store.near_duplicate(
            item.signature, self.run.run_id, THRESHOLD, exclude=item.article_id
        )
        if item.duplicate_of:
            self.inc("articles/near_duplicate")
            logger.info("article %s is a near-duplicate of %s", item.article_id, item.duplicate_of)
        return item


class ValidatePipeline(_Pipeline):
    """Every item against the shipped JSON Schema; an invalid one is dropped with its first problem."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        found = problems(exported(item))
        if found:
            field = found[0].split(":", 1)[0].split("/", 1)[0]
            raise self.drop(item, f"invalid/{field}", f"{item.url}: {'; '.join(found)}")
        return item


class RecordPipeline(_Pipeline):
    """Stage the article's new state for the run's end, close its ledger entry as exported, and count the
    coverage of the fields every item must have (``herald/coverage/<field>``, for the monitors)."""

    def __init__(self, crawler: Any = None) -> None:
        super().__init__(crawler)
        self.required = crawler.settings.getlist("HERALD_REQUIRED_FIELDS", REQUIRED_FIELDS) if crawler is not None else []

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        for name in self.required:
            # A page that shows only an update time is dated by it: it counts for published_at.
            if getattr(item, name, None) or (name == "published_at" and item.updated_at):
                self.inc(f"coverage/{name}")
        if self.run is None or self.store is None:
            return item
        self.store.stage(self.run.run_id, _state(item, item.known, "exported", self.run.run_id))
        self.remember_alias(item)
        self.run.ledger.exported(item.requested_id or item.article_id)
        return item


def _state(item: Article, known: ArticleState | None, status: str, run_id: str) -> ArticleState:
    return ArticleState(
        article_id=item.article_id,
        first_seen=known.first_seen if known else item.crawled_at,
        last_fetched=item.crawled_at,
        last_status=status,
        content_hash=item.content_hash,
        signature=item.signature if item.signature is not None else (known.signature if known else None),
        version=item.version,
        published_at=item.published_at,
        duplicate_of=item.duplicate_of,
        last_run=run_id,
    )
