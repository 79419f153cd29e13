"""Crawls as subprocesses, and the files a run publishes: shared by the fixtures, ``make demo`` and the
benchmarks (no pytest here: ``make demo`` runs without the test dependencies)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from herald_crawler.publish import manifest_path

PROJECT = Path(__file__).resolve().parents[1]


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
    return [f for f in export_files(output_dir) if manifest_path(f).exists()]


def export_files(output_dir: Path) -> list[Path]:
    """The run exports in a directory (not their per-URL ledgers), with or without manifest."""
    files = list(output_dir.glob("herald-*.jsonl")) + list(output_dir.glob("herald-*.jsonl.gz"))
    return sorted(f for f in files if ".ledger." not in f.name)
