"""Fixtures: the mirror served on 127.0.0.1, saved pages as Scrapy responses, and crawls as subprocesses.

These play the role the design card gave to ``pytest-scrapy-fixtures`` (no such package is published).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from tests.mirror.server import SITE, MirrorServer

PROJECT = Path(__file__).resolve().parents[1]


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


@dataclass
class CrawlResult:
    returncode: int
    log: str
    output_dir: Path
    files: list[Path] = field(default_factory=list)

    @property
    def items(self) -> list[dict]:
        return [json.loads(line) for path in self.files for line in path.read_text("utf-8").splitlines()]


def run_crawl(base_url: str, output_dir: Path, *args: str, settings: dict | None = None, timeout: float = 180) -> CrawlResult:
    """``scrapy crawl herald`` as a subprocess against ``base_url``, politeness off, output in ``output_dir``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "herald",
               "-s", f"HERALD_BASE_URL={base_url}", "-s", f"HERALD_OUTPUT_DIR={output_dir}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO"]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    command += list(args)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout, env=env)
    files = sorted(output_dir.glob("herald-*.jsonl")) if output_dir.exists() else []
    return CrawlResult(done.returncode, done.stdout + done.stderr, output_dir, files)


@pytest.fixture
def crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``crawl(base_url, *spider_args, settings={...})`` -> CrawlResult, output in a fresh temporary dir."""
    counter = iter(range(1000))

    def run(base_url: str, *args: str, settings: dict | None = None, output_dir: Path | None = None) -> CrawlResult:
        directory = output_dir or tmp_path / f"output-{next(counter)}"
        return run_crawl(base_url, directory, *args, settings=settings)

    return run
