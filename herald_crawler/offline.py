"""The crawl's parsers and item pipelines, run without a crawl: for saved pages, archives and tests.

``article_from_html`` goes through exactly the pipelines ``ITEM_PIPELINES`` lists, in their order, so an
item built here is the item a crawl would export for the same page.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from .items import Article
from .pages import Page, ParseError, parse_article


def item_pipelines(settings: Settings | None = None) -> list[Any]:
    """Fresh instances of the project's item pipelines, in ``ITEM_PIPELINES`` order (no crawler, no stats)."""
    settings = settings or get_project_settings()
    ordered = sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    return [load_object(path)(None) for path, order in ordered if order is not None]


def run_pipelines(item: Any, pipelines: list[Any]) -> Any:
    """Pass ``item`` through ``pipelines``; a DropItem propagates."""
    for pipeline in pipelines:
        item = pipeline.process_item(item)
    return item


def article_from_html(
    url: str,
    html: str | bytes,
    *,
    discovered_via: str = "urls",
    crawled_at: str | None = None,
    pipelines: list[Any] | None = None,
) -> Article:
    """Parse and process one page as a crawl would. Raises ParseError or DropItem with the drop reason."""
    return _finish(parse_article(url, html), discovered_via, crawled_at, pipelines)


def _finish(page: Page, discovered_via: str, crawled_at: str | None, pipelines: list[Any] | None) -> Article:
    """A page as the spider hands it on (fetch context set), through the pipelines."""
    page.discovered_via = discovered_via
    page.crawled_at = crawled_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return run_pipelines(page, pipelines if pipelines is not None else item_pipelines())


def article_from_response(
    url: str,
    body: bytes,
    content_type: str = "text/html",
    *,
    discovered_via: str = "urls",
    crawled_at: str | None = None,
    pipelines: list[Any] | None = None,
) -> Article:
    """As a crawl reads a fetched page: decode the bytes by their ``Content-Type`` and the page's own
    declaration, parse, then the pipelines. Raises ParseError (``reason``: ``error_page``, ``undecodable``,
    ...) for a page the crawl would not turn into an item, or DropItem."""
    from .parsing import read_page

    outcome = read_page(url, body, content_type)
    if outcome[0] != "page":
        reason = "error_page" if outcome[0] == "error_page" else outcome[1]
        raise ParseError(reason, outcome[-1])
    return _finish(outcome[1], discovered_via, crawled_at, pipelines)
