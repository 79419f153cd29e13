"""Whether a run succeeded, judged from its stats: Scrapy exits 0 even when every request failed.

A run failed when it did not finish cleanly, a callback raised, an error was logged, the export failed, no
discovery channel answered, no article could be parsed from the article pages it fetched, the site blocked
it (403/429 on ``HERALD_BLOCK_RATIO`` of responses), or more than ``HERALD_MAX_FAILED_RATIO`` of its
article requests failed. ``herald_crawler.publish.judge`` adds the state, the ledger and the monitors.
"""

from __future__ import annotations

from typing import Any

DEFAULT_MAX_FAILED_RATIO = 0.2
DEFAULT_BLOCK_RATIO = 0.5
#: Finish reasons of a run that ended as planned (a budget set with CLOSESPIDER_* counts as planned).
CLEAN_FINISHES = frozenset({"finished", "closespider_timeout", "closespider_itemcount", "closespider_pagecount"})


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))


def failure_reasons(
    stats: dict[str, Any],
    *,
    explicit: bool,
    max_failed_ratio: float = DEFAULT_MAX_FAILED_RATIO,
    block_ratio: float = DEFAULT_BLOCK_RATIO,
) -> list[str]:
    """Why the run failed, one reason a line; empty when it succeeded."""
    reasons: list[str] = []
    finish = stats.get("finish_reason")
    if finish == "blocked":
        reasons.append(f"the site blocked the crawl and it was stopped: {stats.get('herald/blocked')}")
    elif finish not in CLEAN_FINISHES:
        reasons.append(f"the crawl did not finish cleanly (finish_reason={finish})")
    if postponed := stats.get("herald/robots/postponed"):
        reasons.append(f"robots.txt could not be read, the crawl is postponed: {postponed}")
    if exceptions := _sum(stats, "spider_exceptions/"):
        reasons.append(f"{exceptions} exception(s) raised in spider callbacks")
    if errors := int(stats.get("log_count/ERROR", 0)):
        reasons.append(f"{errors} error(s) logged")
    if failed_exports := _sum(stats, "feedexport/failed_count/"):
        reasons.append(f"{failed_exports} feed export(s) failed to store")
    if not explicit and not any(int(stats.get(f"herald/channel/{c}/ok", 0)) for c in ("feed", "section", "sitemap")):
        reasons.append("no discovery channel answered with article links")
    requested = int(stats.get("herald/articles/requested", 0))
    fetched = int(stats.get("herald/articles/fetched", 0))
    parsed = _sum(stats, "herald/layout/")
    if fetched and not parsed:
        reasons.append(f"no article could be parsed from {fetched} fetched article page(s)")
    responses = int(stats.get("downloader/response_count", 0))
    refused = sum(int(stats.get(f"downloader/response_status_count/{code}", 0)) for code in (403, 429))
    if refused >= 5 and responses and refused / responses >= block_ratio:
        reasons.append(f"the site is blocking us: {refused} of {responses} responses were 403 or 429")
    failed = _sum(stats, "herald/failed/")
    if requested and failed / requested > max_failed_ratio:
        reasons.append(
            f"{failed} of {requested} article requests failed ({failed / requested:.0%} > {max_failed_ratio:.0%})"
        )
    return reasons


def summary(stats: dict[str, Any]) -> str:
    """One line for the log: what the run found, exported, dropped and failed."""
    def group(prefix: str) -> str:
        parts = [f"{k[len(prefix):]}={int(v)}" for k, v in sorted(stats.items()) if k.startswith(prefix)]
        return ", ".join(parts) or "none"

    return (
        f"requested {int(stats.get('herald/articles/requested', 0))} articles, "
        f"exported {int(stats.get('item_scraped_count', 0))}; "
        f"layouts: {group('herald/layout/')}; dropped: {group('herald/dropped/')}; "
        f"failed: {group('herald/failed/')}; channels: {group('herald/channel/')}"
    )
