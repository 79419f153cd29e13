"""Fixtures: the mirror served on 127.0.0.1, saved pages as Scrapy responses, and crawls as subprocesses.

These play the role the design card gave to ``pytest-scrapy-fixtures`` (no such package is published).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from tests.crawls import CrawlResult, run_crawl
from tests.mirror.server import SITE, MirrorServer


@pytest.fixture(scope="session")
def mirror_server() -> Iterator[MirrorServer]:
    with MirrorServer() as server:
        yield server


@pytest.fixture
def mirror(mirror_server: MirrorServer) -> Iterator[MirrorServer]:
    """The shared mirror server, with its request log cleared and every override removed after the test."""
    mirror_server.requests.clear()
    yield mirror_server
    mirror_server._overrides.clear()


@pytest.fixture
def page_response() -> Callable[..., HtmlResponse]:
    """``page_response("articles/2017/<ud>.html", url=...)``: a saved mirror page as an HtmlResponse."""

    def make(relative: str, url: str | None = None, meta: dict | None = None) -> HtmlResponse:
        path = SITE / relative
        url = url or "https://www.koreaherald.com/" + relative
        return HtmlResponse(
            url=url, body=path.read_bytes(), encoding="utf-8", request=Request(url, meta=meta or {})
        )

    return make


@pytest.fixture
def crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``crawl(base_url, *spider_args, settings={...})`` -> CrawlResult.

    Every call of one test shares the state file ``tmp_path/state/herald.sqlite`` (so a second call is a
    scheduled rerun) and, unless ``output_dir`` is given, writes into ``tmp_path/output``."""

    def run(base_url: str, *args: str, settings: dict | None = None, output_dir: Path | None = None,
            state_path: Path | None = None) -> CrawlResult:
        return run_crawl(base_url, output_dir or tmp_path / "output", state_path or tmp_path / "state" / "herald.sqlite",
                         *args, settings=settings)

    return run
