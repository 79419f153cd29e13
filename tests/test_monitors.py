"""End-of-run monitors judged on stats fixtures: the shares they allow, and the small runs they never fail."""

import logging

import pytest
from scrapy.utils.test import get_crawler
from spidermon import MonitorSuite
from spidermon.contrib.scrapy.runners import SpiderMonitorRunner

from herald_crawler import monitors  # the module: a TestCase class imported here would be collected by pytest
from herald_crawler.spiders.herald import HeraldSpider


def failed(stats: dict, **settings) -> dict[str, str]:
    """Failed monitor name -> reason, for a run with these stats (the ledger monitor, which needs a run, aside)."""
    crawler = get_crawler(HeraldSpider, settings)
    crawler.stats.open_spider()
    spider = HeraldSpider.from_crawler(crawler)
    crawler.spider = spider
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    runner = SpiderMonitorRunner(spider=spider)
    suite = type("Suite", (MonitorSuite,), {"monitors": [monitors.HeraldMonitor]})()  # a fresh suite per run
    runner.run(suite, stats=crawler.stats.get_stats(), crawler=crawler, spider=spider, stats_history=[], job=None)
    return {r.monitor.name.split("/", 1)[1]: r.reason or "" for r in runner.result.monitors_failed_results
            if not r.monitor.name.endswith("the ledger adds up")}


def exported(count: int, missing: dict[str, int] | None = None, **layouts: int) -> dict:
    stats = {"item_scraped_count": count, "herald/articles/fetched": count}
    for name in ("title", "published_at", "body"):
        stats[f"herald/coverage/{name}"] = count - (missing or {}).get(name, 0)
    for layout, pages in (layouts or {"cms": count}).items():
        stats[f"herald/layout/{layout}"] = pages
    return stats


def test_a_full_run_passes():
    assert failed(exported(40)) == {}


@pytest.mark.parametrize(
    "count, missing, fails",
    [
        (10, 4, True),  # a layout's dates broke: 60% covered
        (100, 6, True),  # 94% < 95%
        (100, 5, False),  # 95%: at the limit
        (10, 2, False),  # two odd pages: below HERALD_MONITOR_MIN_COUNT, whatever the share
        (1, 1, False),  # a run of one undated article does not fail (nor every rerun that fetches it)
    ],
)
def test_field_coverage_judges_a_share_once_enough_items_fall_short(count, missing, fails):
    found = failed(exported(count, {"published_at": missing}))
    assert ("field coverage" in found) is fails
    if fails:
        assert "published_at" in found["field coverage"]


def test_field_coverage_limits_are_settings():
    assert "field coverage" in failed(exported(100, {"body": 3}), HERALD_MIN_FIELD_COVERAGE=0.99)
    assert "field coverage" not in failed(exported(10, {"body": 4}), HERALD_MONITOR_MIN_COUNT=5)


@pytest.mark.parametrize(
    "layouts, fails",
    [
        ({"cms": 10}, False),
        ({"cms": 9, "generic": 1}, False),  # an odd page: published, reported
        ({"cms": 7, "generic": 3}, False),  # 30% <= 50%
        ({"cms": 2, "generic": 3}, True),  # most pages in no known layout: the site changed
        ({"generic": 2}, False),  # fewer than HERALD_MONITOR_MIN_COUNT pages
    ],
)
def test_pages_in_no_known_layout_fail_the_run_only_above_the_generic_ratio(layouts, fails):
    count = sum(layouts.values())
    found = failed(exported(count, **layouts))
    assert ("pages in a known layout" in found) is fails
    if fails:
        assert "THE SITE'S MARKUP CHANGED" in found["pages in a known layout"]


def test_generic_pages_are_reported_loudly_even_when_the_run_passes(caplog):
    with caplog.at_level(logging.WARNING, logger="herald_crawler.monitors"):
        assert failed(exported(10, cms=9, generic=1)) == {}
    assert any("THE SITE'S MARKUP CHANGED: 1 of 10 article pages" in r.getMessage() for r in caplog.records)


def test_the_generic_ratio_is_a_setting():
    assert "pages in a known layout" in failed(exported(10, cms=6, generic=4), HERALD_MAX_GENERIC_RATIO=0.2)
    assert "pages in a known layout" not in failed(exported(5, cms=1, generic=4), HERALD_MAX_GENERIC_RATIO=1.0)
