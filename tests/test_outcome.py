from herald_crawler.outcome import failure_reasons, summary

OK = {
    "finish_reason": "finished",
    "herald/channel/feed/ok": 2,
    "herald/articles/requested": 10,
    "herald/articles/fetched": 10,
    "herald/layout/cms": 10,
    "item_scraped_count": 10,
}


def test_a_good_run_has_no_failure_reason():
    assert failure_reasons(OK, explicit=False) == []


def test_each_failure_is_named():
    cases = {
        "did not finish cleanly": {**OK, "finish_reason": "shutdown"},
        "exception(s) raised": {**OK, "spider_exceptions/ValueError": 1},
        "error(s) logged": {**OK, "log_count/ERROR": 2},
        "feed export(s) failed": {**OK, "feedexport/failed_count/AtomicFileFeedStorage": 1},
        "no discovery channel": {k: v for k, v in OK.items() if not k.startswith("herald/channel")},
        "no article could be parsed": {**OK, "herald/layout/cms": 0},
        "3 of 10 article requests failed": {**OK, "herald/failed/http_500": 3},
    }
    for expected, stats in cases.items():
        reasons = failure_reasons(stats, explicit=False)
        assert any(expected in r for r in reasons), (expected, reasons)


def test_explicit_runs_need_no_discovery_channel():
    stats = {k: v for k, v in OK.items() if not k.startswith("herald/channel")}
    assert failure_reasons(stats, explicit=True) == []


def test_the_failed_share_threshold_is_a_setting():
    stats = {**OK, "herald/failed/http_500": 3}
    assert failure_reasons(stats, explicit=False, max_failed_ratio=0.5) == []


def test_summary_names_layouts_drops_and_failures():
    line = summary({**OK, "herald/dropped/no_body": 1, "herald/failed/http_404": 2})
    assert "exported 10" in line and "cms=10" in line and "no_body=1" in line and "http_404=2" in line
