"""Golden fixtures from the live site: a fetched page (raw bytes, headers, URL) beside the item it must give.

``scrapy herald-fixture URL...`` fetches each article URL (politely, through the project's downloader
settings) and writes one directory per page, web-poet style, input beside expected output::

    <out>/<layout>/<article id>/input/body.html       the bytes as served
    <out>/<layout>/<article id>/input/response.json   url, requested_url, status, headers, fetched_at
    <out>/<layout>/<article id>/output/item.json      the item, as the parsers read it today

``item.json`` is written from today's parsers: read it against the page and correct every field that is
wrong. The golden test (``tests/test_fixtures.py``) runs every fixture directory through the same reading
a crawl does and fails on each field that differs, until the parser is fixed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import scrapy
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import Response
from twisted.python.failure import Failure

from .items import Article, exported
from .offline import article_from_response, item_pipelines
from .pages import ParseError
from .urls import DEFAULT_BASE_URL, Site

logger = logging.getLogger(__name__)

#: Fields a crawl decides (not the page): left out of a fixture's expected item.
CRAWL_DECIDED = ("crawled_at", "discovered_via", "version", "duplicate_of", "extraction")
DERIVED = ("word_count", "content_hash")


def expected_item(article: Article) -> dict[str, Any]:
    """An item as a fixture's ``item.json`` holds it: body as a list of paragraphs, crawl fields left out,
    how the page was read kept under ``_extraction`` (not compared)."""
    item = {k: v for k, v in exported(article).items() if k not in CRAWL_DECIDED and k not in DERIVED}
    item["body"] = article.body.split("\n\n") if article.body else []
    item["_extraction"] = article.extraction
    return item


def write_fixture(out: Path, requested_url: str, response: Response, fetched_at: str) -> tuple[Path, str]:
    """Save one fetched page and what the parsers make of it; (its directory, a one-line verdict)."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    try:
        article = article_from_response(response.url, response.body, content_type, pipelines=item_pipelines())
    except ParseError as exc:
        article, verdict, layout, key = None, f"not an article ({exc.reason}): {exc}", "dropped", exc.reason
    else:
        warnings = article.extraction["warnings"]
        verdict = f"{article.layout} layout" + (f", {len(warnings)} warning(s): {'; '.join(warnings)}" if warnings else "")
        layout, key = article.layout, article.article_id
    directory = out / layout / (key if article is not None else _slug(requested_url))
    (directory / "input").mkdir(parents=True, exist_ok=True)
    (directory / "output").mkdir(parents=True, exist_ok=True)
    (directory / "input" / "body.html").write_bytes(response.body)
    headers = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()}
    meta = {"url": response.url, "requested_url": requested_url, "status": response.status, "headers": headers,
            "fetched_at": fetched_at}
    (directory / "input" / "response.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    expected = expected_item(article) if article is not None else {"_dropped": key}
    (directory / "output" / "item.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    return directory, verdict


def _slug(url: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in url)[-80:]


def fixture_dirs(root: Path) -> list[Path]:
    """Every fixture directory under ``root`` (one with ``input/body.html`` and ``output/item.json``)."""
    return sorted(p.parent.parent for p in root.glob("**/output/item.json") if (p.parent.parent / "input" / "body.html").exists())


def read_fixture(directory: Path) -> tuple[dict[str, Any], bytes, dict[str, Any]]:
    """(response meta, body bytes, expected item) of a fixture directory."""
    meta = json.loads((directory / "input" / "response.json").read_text("utf-8"))
    body = (directory / "input" / "body.html").read_bytes()
    expected = json.loads((directory / "output" / "item.json").read_text("utf-8"))
    return meta, body, expected


def fixture_differences(directory: Path) -> dict[str, tuple[Any, Any]]:
    """Fields where today's reading of a fixture's page differs from its ``item.json``: name -> (read, expected)."""
    meta, body, expected = read_fixture(directory)
    try:
        article = article_from_response(meta["url"], body, content_type_of(meta), pipelines=item_pipelines())
    except ParseError as exc:
        wanted = expected.get("_dropped")
        return {} if wanted == exc.reason else {"_dropped": (exc.reason, wanted)}
    if "_dropped" in expected:
        return {"_dropped": (None, expected["_dropped"])}
    got = expected_item(article)
    return {k: (got.get(k), v) for k, v in expected.items() if not k.startswith("_") and got.get(k) != v}


def content_type_of(meta: dict[str, Any]) -> str:
    for name, values in meta.get("headers", {}).items():
        if name.lower() == "content-type" and values:
            return values[0]
    return ""


class FixtureSpider(scrapy.Spider):
    """Fetches the given article URLs once each and saves them as fixtures (no state, archive or export)."""

    name = "herald_fixture"
    custom_settings = {
        "EXTENSIONS": {
            "herald_crawler.extensions.RunState": None,
            "herald_crawler.archive.WarcArchive": None,
            "spidermon.contrib.scrapy.extensions.Spidermon": None,
        },
        "SPIDERMON_ENABLED": False,
        "ITEM_PIPELINES": {},
        "FEEDS": {},
    }

    def __init__(self, urls: list[str], out: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.out = Path(out)
        self.saved: list[Path] = []
        self.failed: list[str] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.save, errback=self.fetch_failed, dont_filter=True,
                                 meta={"requested_url": url})

    def save(self, response: Response) -> Iterator[Any]:
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        directory, verdict = write_fixture(self.out, response.meta["requested_url"], response, fetched_at)
        self.saved.append(directory)
        logger.info("fixture %s: %s", directory, verdict)
        print(f"{directory}: {verdict}")
        return iter(())

    def fetch_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        self.failed.append(f"{failure.request.url}: {reason}")


class FixtureCommand(ScrapyCommand):
    """``scrapy herald-fixture URL... [--out DIR]``: save each article page as a golden fixture."""

    requires_project = True

    def syntax(self) -> str:
        return "[options] URL [URL ...]"

    def short_desc(self) -> str:
        return "Save article pages (bytes, headers, URL) and their extraction as golden fixture directories"

    def long_desc(self) -> str:
        return (
            "Fetch each article URL once and write <out>/<layout>/<id>/input/{body.html,response.json} and "
            "output/item.json (the item as the parsers read it today). Check item.json against the page, "
            "correct what is wrong, and the golden test fails until the parser reads the page right."
        )

    def add_options(self, parser: Any) -> None:
        super().add_options(parser)
        parser.add_argument("--out", default="tests/fixtures/pages",
                            help="directory of fixture directories (default: tests/fixtures/pages)")

    def run(self, args: list[str], opts: Any) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give at least one article URL", print_help=True)
        site = Site(self.settings.get("HERALD_BASE_URL") or DEFAULT_BASE_URL)
        for url in args:
            if site.article_id(url) is None:
                raise UsageError(
                    f"{url!r} is not an article URL of the site (expected e.g. {site.base_url}/article/10456893 "
                    f"or {site.base_url}/view.php?ud=20170523000456)", print_help=False
                )
            if not site.fetchable(url):
                raise UsageError(f"{url!r} is not on HERALD_BASE_URL={site.base_url}", print_help=False)
        process = self.crawler_process
        assert process is not None
        crawler = process.create_crawler(FixtureSpider)
        process.crawl(crawler, urls=list(args), out=opts.out)
        process.start()
        spider = crawler.spider
        for line in spider.failed:
            print(f"not saved: {line}")
        print(f"{len(spider.saved)} fixture(s) saved under {opts.out}; check each output/item.json against its page")
        self.exitcode = 0 if not spider.failed and len(spider.saved) == len(args) else 1
