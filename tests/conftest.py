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
        """Items of every published file in the output directory."""
        return [json.loads(line) for path in self.files for line in path.read_text("utf-8").splitlines()]

    @property
    def manifests(self) -> list[dict]:
        return [json.loads(p.read_text("utf-8")) for p in sorted(self.output_dir.glob("herald-*.manifest.json"))]

    @property
    def last_manifest(self) -> dict:
        return self.manifests[-1]

    @property
    def last_ledger(self) -> dict[str, dict]:
        """The per-URL ledger of the last published run: article id -> entry."""
        path = self.output_dir / self.last_manifest["ledger_file"]
        return {e["article_id"]: e for e in map(json.loads, path.read_text("utf-8").splitlines())}


def crawl_command(base_url: str, output_dir: Path, state_path: Path, *args: str, settings: dict | None = None) -> list[str]:
    """The ``scrapy crawl herald`` command line the tests run: politeness off, output and state given."""
    command = [sys.executable, "-m", "scrapy", "crawl", "herald",
               "-s", f"HERALD_BASE_URL={base_url}", "-s", f"HERALD_OUTPUT_DIR={output_dir}",
               "-s", f"HERALD_STATE_PATH={state_path}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=INFO"]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    return command + list(args)


CRAWL_ENV = {**os.environ, "PYTHONPATH": str(PROJECT)}


def run_crawl(base_url: str, output_dir: Path, state_path: Path, *args: str, settings: dict | None = None,
              timeout: float = 180) -> CrawlResult:
    """``scrapy crawl herald`` as a subprocess against ``base_url``; returns its exit status, log and files."""
    command = crawl_command(base_url, output_dir, state_path, *args, settings=settings)
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout, env=CRAWL_ENV)
    return CrawlResult(done.returncode, done.stdout + done.stderr, output_dir, published(output_dir))


def published(output_dir: Path) -> list[Path]:
    """Export files that have their manifest (the only ones a reader may use), oldest first."""
    if not output_dir.exists():
        return []
    files = [f for f in export_files(output_dir)
             if (output_dir / (f.name.split(".jsonl")[0] + ".manifest.json")).exists()]
    return sorted(files)


def export_files(output_dir: Path) -> list[Path]:
    """The run exports in a directory (not their per-URL ledgers), with or without manifest."""
    files = list(output_dir.glob("herald-*.jsonl")) + list(output_dir.glob("herald-*.jsonl.gz"))
    return sorted(f for f in files if ".ledger." not in f.name)


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
