"""The run's state, shared by the spider, the pipelines and the feed storage: store, ledger, exports.

``RunState`` opens the state store when the spider opens (taking its lock), finishes what an earlier run
left half done, checks that the output directory is writable, and records the run. It publishes nothing:
``herald_crawler.publish.finish_run`` decides, once the crawl has stopped, whether the run's export is
published and the state advanced.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from .ledger import Ledger
from .logformat import install_redaction, skip_unemitted_records
from .store import QueuedUrl, StateError, Store, open_store

logger = logging.getLogger(__name__)

DEFAULT_STATE_PATH = "state/herald.sqlite"


def peak_rss_bytes() -> int | None:
    """This process's own peak resident memory (Linux ``VmHWM``), or None where /proc has no such line.

    Not ``getrusage``'s ``ru_maxrss``, which Scrapy's ``memusage/max`` reports: Linux carries that figure over
    from the parent through ``exec``, so a crawl started by a large process reports the parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


@dataclass
class Export:
    """A finished (flushed, fsynced) export file still under its temporary name."""

    temp_path: Path
    final_path: Path


@dataclass
class RunState:
    crawler: Crawler
    state_path: Path
    output_dir: Path
    store: Store | None = None
    ledger: Ledger = field(default_factory=Ledger)
    exports: list[Export] = field(default_factory=list)
    queued: list[QueuedUrl] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # reasons this run cannot succeed
    run_id: str = ""
    started_at: str = ""
    monitor_results: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunState:
        install_redaction()  # before Scrapy logs the overridden settings
        skip_unemitted_records()  # Scrapy's root handler is in place by now
        settings = crawler.settings
        state = cls(
            crawler=crawler,
            state_path=Path(settings.get("HERALD_STATE_PATH") or DEFAULT_STATE_PATH).expanduser(),
            output_dir=Path(settings.get("HERALD_OUTPUT_DIR") or "output").expanduser(),
        )
        crawler.signals.connect(state.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(state.spider_closed, signal=signals.spider_closed)
        return state

    # -- opening -------------------------------------------------------------------------------------
    def spider_opened(self, spider: Any) -> None:
        self.run_id = getattr(spider, "run_id", "") or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        started = getattr(spider, "started_at", None) or datetime.now(timezone.utc)
        self.started_at = started.replace(microsecond=0).isoformat()
        try:
            self.store = open_store(self.state_path)
        except StateError as exc:
            self.fail(str(exc))
            return
        try:
            self._recover()
            self.store.begin_run(self.run_id, self.started_at)
            self.queued = self.store.queued(self.crawler.settings.getint("HERALD_MAX_ATTEMPTS", 3))
        except Exception as exc:  # sqlite3 errors: disk full, I/O, corruption
            self.fail(f"state file {self.state_path}: {exc}")
            return
        self._check_output_dir()
        if self.queued:
            logger.info("%d URL(s) owed by earlier runs will be fetched first", len(self.queued))

    def fail(self, reason: str) -> None:
        """Note why the run cannot succeed and stop it (the spider starts nothing once a problem is noted)."""
        self.problems.append(reason)
        logger.error("herald run cannot go on: %s", reason)
        try:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="herald_failed"))
        except (RuntimeError, AttributeError):  # not running yet: the spider checks `problems` at start
            pass

    def _check_output_dir(self) -> None:
        probe = self.output_dir / f".herald-{self.run_id}.probe"
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            with open(probe, "wb") as handle:
                handle.write(b"probe")
                handle.flush()
                os.fsync(handle.fileno())
            probe.unlink()
        except OSError as exc:
            self.fail(f"output directory {self.output_dir} is not writable: {exc}")

    def _recover(self) -> None:
        """Finish runs a killed process left behind: roll 'publishing' ones forward, discard 'running' ones."""
        from .publish import roll_forward  # noqa: PLC0415 (publish imports this module)

        assert self.store is not None
        for run in self.store.interrupted_runs(self.run_id):
            if run["outcome"] == "publishing":
                roll_forward(run)
                self.store.mark_run(run["run_id"], "ok")
                logger.warning("run %s was killed while publishing: its files are now in place", run["run_id"])
            else:
                for leftover in self.output_dir.glob(f".herald-{run['run_id']}.*"):
                    leftover.unlink(missing_ok=True)
                self.store.mark_run(run["run_id"], "killed")
                logger.warning("run %s ended without finishing: nothing of it was published", run["run_id"])

    # -- during the run --------------------------------------------------------------------------------
    def export_ready(self, temp_path: Path, final_path: Path) -> None:
        self.exports.append(Export(temp_path, final_path))

    def spider_closed(self, spider: Any, reason: str) -> None:
        peak = peak_rss_bytes()
        if peak is not None:
            self.crawler.stats.set_value("herald/memory/peak_rss_mb", round(peak / 2**20, 1))
        if self.store is not None:
            try:
                self.store.flush()
            except Exception as exc:  # noqa: BLE001 (any state failure fails the run)
                self.problems.append(f"state file {self.state_path}: {exc}")
