"""End-of-run monitors (spidermon): their results go into the log, the manifest and the run's outcome.

Spidermon's own monitor checks the finish reason; ours check field coverage (title, published_at and body
on ``HERALD_MIN_FIELD_COVERAGE`` of exported items), that fetched articles led to items, that no item failed
validation, the 403/429 and 5xx rates, that the ledger adds up, and the share of pages per layout: pages in no
known layout are read by the generic extractor and published, reported loudly, and fail the run above
``HERALD_MAX_GENERIC_RATIO``. A share is judged only once ``HERALD_MONITOR_MIN_COUNT`` items are short of it,
so that one odd page cannot fail a small run (and fail every rerun that fetches it again).
"""

from __future__ import annotations

import logging

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors.monitors import FinishReasonMonitor
from spidermon.core.actions import Action

from .extensions import RunState
from .items import REQUIRED_FIELDS
from .ledger import adds_up

logger = logging.getLogger("herald_crawler.monitors")


def _stats(monitor: Monitor) -> dict:
    return monitor.data.crawler.stats.get_stats()


def _sum(stats: dict, prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))


@monitors.name("Herald")
class HeraldMonitor(Monitor):
    @monitors.name("fetched articles lead to items")
    def test_items_from_fetched_articles(self):
        stats = _stats(self)
        fetched = int(stats.get("herald/articles/fetched", 0))
        outcomes = int(stats.get("item_scraped_count", 0)) + int(stats.get("herald/articles/unchanged", 0))
        self.assertFalse(
            fetched and not outcomes, f"{fetched} article pages fetched, none exported or found unchanged"
        )

    @monitors.name("field coverage")
    def test_field_coverage(self):
        stats = _stats(self)
        settings = self.data.crawler.settings
        exported = int(stats.get("item_scraped_count", 0))
        minimum = settings.getfloat("HERALD_MIN_FIELD_COVERAGE", 0.95)
        least = settings.getint("HERALD_MONITOR_MIN_COUNT", 3)
        missing = {
            name: exported - int(stats.get(f"herald/coverage/{name}", 0))
            for name in settings.getlist("HERALD_REQUIRED_FIELDS", REQUIRED_FIELDS)
        }
        short = {
            name: f"{count} of {exported} items ({1 - count / exported:.0%} covered)"
            for name, count in missing.items() if count >= least and 1 - count / exported < minimum
        }
        for name, count in missing.items():
            if count and name not in short:
                logger.warning("%d of %d exported items have no %s (see their extraction warnings)", count, exported, name)
        self.assertFalse(short, f"fields below {minimum:.0%} coverage: {short}")

    @monitors.name("no item fails validation")
    def test_no_validation_errors(self):
        invalid = _sum(_stats(self), "herald/dropped/invalid/")
        self.assertEqual(invalid, 0, f"{invalid} item(s) failed schema validation")

    @monitors.name("403/429 rate")
    def test_refusals(self):
        stats = _stats(self)
        responses = int(stats.get("downloader/response_count", 0))
        refused = sum(int(stats.get(f"downloader/response_status_count/{c}", 0)) for c in (403, 429))
        limit = self.data.crawler.settings.getfloat("HERALD_MAX_REFUSED_RATIO", 0.05)
        self.assertFalse(
            responses and refused / responses > limit,
            f"{refused} of {responses} responses were 403/429 (limit {limit:.0%})",
        )

    @monitors.name("5xx rate")
    def test_server_errors(self):
        stats = _stats(self)
        responses = int(stats.get("downloader/response_count", 0))
        errors = _sum(stats, "downloader/response_status_count/5")
        limit = self.data.crawler.settings.getfloat("HERALD_MAX_5XX_RATIO", 0.1)
        self.assertFalse(
            responses and errors / responses > limit, f"{errors} of {responses} responses were 5xx (limit {limit:.0%})"
        )

    @monitors.name("the ledger adds up")
    def test_ledger(self):
        state = self.data.crawler.get_extension(RunState)
        counts = state.ledger.counts()
        self.assertTrue(adds_up(counts), f"discovered URLs do not all end somewhere: {counts}")

    @monitors.name("pages in a known layout")
    def test_layouts(self):
        stats = _stats(self)
        settings = self.data.crawler.settings
        counts = {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith("herald/layout/")}
        total = sum(counts.values())
        generic = counts.get("generic", 0)
        if not generic:
            return
        shares = ", ".join(f"{name} {count / total:.0%}" for name, count in sorted(counts.items()))
        limit = settings.getfloat("HERALD_MAX_GENERIC_RATIO", 0.5)
        message = (
            f"THE SITE'S MARKUP CHANGED: {generic} of {total} article pages match no layout parser and were read "
            f"by the generic extractor (layouts: {shares}); the archive keeps them for a rebuild"
        )
        logger.warning("%s", message)
        self.assertFalse(
            generic >= settings.getint("HERALD_MONITOR_MIN_COUNT", 3) and generic / total > limit,
            f"{message}; above HERALD_MAX_GENERIC_RATIO={limit:.0%}",
        )


class RecordResults(Action):
    """Put the monitors' results where the run's outcome, manifest and log read them."""

    def run_action(self):
        passed = [r.monitor.name for r in self.result.monitors_passed_results]
        failed = [f"{r.monitor.name}: {r.reason}" for r in self.result.monitors_failed_results]
        state = self.data.crawler.get_extension(RunState)
        if state is not None:
            state.monitor_results = {"passed": passed, "failed": failed}
        for line in failed:
            logger.warning("MONITOR FAILED %s", line)
        logger.info("monitors: %d passed, %d failed", len(passed), len(failed))


class RunMonitors(MonitorSuite):
    monitors = [FinishReasonMonitor, HeraldMonitor]
    monitors_finished_actions = [RecordResults]
