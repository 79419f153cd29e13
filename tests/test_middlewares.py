"""The fault-injection suite: one crawl against a server that misbehaves in every way we know, then one
test per behaviour asserting what a user relies on: the URL's outcome in the ledger, the exported item,
the run's exit status. Separate crawls cover robots.txt, blocks, hostile sitemaps, arguments and logs."""

import json
import re

import pytest

from herald_crawler.middlewares import retry_after_seconds
from tests.faults.server import ARTICLES, BY_NAME, KOREAN, FaultServer

FAULT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": 1.5,
    "RETRY_TIMES": 2,
    "DOWNLOAD_MAXSIZE": 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 0,
    "HERALD_RETRY_AFTER_MAX": 5,
    "HERALD_BACKOFF_BASE": 0.5,
    # the suite fails many URLs on purpose: the run-level limits are lifted so that it publishes its ledger
    "HERALD_MAX_FAILED_RATIO": 1,
    "HERALD_MAX_5XX_RATIO": 1,
    "HERALD_MAX_REFUSED_RATIO": 1,
    "HERALD_BLOCK_MIN": 1000,
    "HERALD_BLOCK_RATIO": 2,
    "AUTOTHROTTLE_ENABLED": False,
    "MEMUSAGE_ENABLED": True,
}


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """One crawl of every misbehaving article URL: (server, result, ledger by behaviour, items by id)."""
    from tests.crawls import run_crawl

    tmp = tmp_path_factory.mktemp("faults")
    with FaultServer(robots="allow") as server:
        urls = ",".join(f"{server.base_url}/article/{article_id}" for article_id in ARTICLES)
        result = run_crawl(server.base_url, tmp / "output", tmp / "state.sqlite", "-a", f"urls={urls}",
                           settings=FAULT_SETTINGS)
        ledger = {ARTICLES[k]: v for k, v in result.last_ledger.items()} if result.files else {}
        items = {i["article_id"]: i for i in result.items}
        yield server, result, ledger, items


def outcome(suite, name):
    entry = suite[2][name]
    return entry["outcome"], entry["reason"]


def test_the_suite_run_publishes_and_every_url_ends_somewhere(suite):
    server, result, ledger, items = suite
    assert result.returncode == 0, result.log[-3000:]
    assert set(ledger) == set(ARTICLES.values())
    # Stalls and delays are bounded by the download timeout: the stalled URLs end as timeouts, not as pages
    # that arrived late (test_each_fault_is_recorded_with_its_reason), with no wall-clock assertion here.


@pytest.mark.parametrize("name, expected", [
    ("delay_headers", ("failed", "timeout")),
    ("stall_body", ("failed", "timeout")),
    ("reset", ("failed", "connection_failed")),
    ("close_without_response", ("failed", "connection_failed")),
    ("truncated_length", ("failed", "data_loss")),
    ("broken_chunking", ("failed", "data_loss")),
    ("http_500", ("failed", "http_500")),
    ("http_403", ("failed", "http_403")),
    ("http_404", ("failed", "http_404")),
    ("http_410", ("failed", "http_410")),
    ("consent_page", ("failed", "error_page")),
    ("redirect_loop", ("failed", "redirect_loop")),
    ("redirect_offsite", ("skipped", "offsite")),
    ("redirect_file", ("skipped", "offsite")),
    ("too_large_with_length", ("failed", "too_large")),
    ("too_large_without_length", ("failed", "too_large")),
    ("gzip_bomb", ("failed", "too_large")),
    ("deflate_bomb", ("failed", "too_large")),
    ("brotli_bomb", ("failed", "too_large")),
    ("robots_disallowed", ("skipped", "robots")),
])
def test_each_fault_is_recorded_with_its_reason(suite, name, expected):
    assert outcome(suite, name) == expected


@pytest.mark.parametrize("name, attempts", [
    ("http_500", 3), ("delay_headers", 3), ("reset", 3),  # retried: 1 + RETRY_TIMES
    ("http_404", 1), ("http_410", 1), ("http_403", 1),  # permanent answers are not retried
    ("redirect_offsite", 1), ("redirect_file", 1),
])
def test_transient_faults_are_retried_and_permanent_ones_are_not(suite, name, attempts):
    server = suite[0]
    assert len(server.hits_for(name)) == attempts


def test_429_with_retry_after_is_honoured_then_exported(suite):
    server, _, ledger, items = suite
    first, second = server.hits_for("429_retry_after")[:2]
    assert second.at - first.at >= 1.9  # Retry-After: 2
    assert ledger["429_retry_after"]["outcome"] == "exported"
    assert BY_NAME["429_retry_after"] in items


def test_429_without_retry_after_backs_off_then_exported(suite):
    server, _, ledger, _ = suite
    hits = server.hits_for("429_no_retry_after")
    assert len(hits) == 3 and ledger["429_no_retry_after"]["outcome"] == "exported"
    assert hits[1].at - hits[0].at >= 0.45 and hits[2].at - hits[1].at >= 0.95  # 0.5 s, then 1 s


def test_nothing_outside_the_site_is_ever_fetched(suite):
    result = suite[1]
    assert "evil.example.com" not in "".join(h.path for h in suite[0].hits)
    assert "root:" not in result.log  # /etc/passwd was never read
    assert re.search(r"refused a request off the site: http://evil\.example\.com", result.log)
    assert re.search(r"refused a redirect off the site: \S+ -> file:///etc/passwd", result.log)


def test_memory_stays_bounded_under_bombs_and_huge_bodies(suite):
    # The crawl's own high-water mark (VmHWM), not memusage/max: getrusage carries pytest's peak into the child.
    peak_mb = float(re.search(r"'herald/memory/peak_rss_mb': ([\d.]+)", suite[1].log).group(1))
    assert peak_mb < 300  # each bomb inflates to 256 MiB; the cap stops it at 1 MiB


@pytest.mark.parametrize("name", ["euckr_header", "euckr_meta", "euckr_unlabelled", "euckr_labelled_utf8",
                                  "utf8_korean"])
def test_every_charset_case_is_decoded_right(suite, name):
    item = suite[3][BY_NAME[name]]
    assert KOREAN in item["body"] and "\ufffd" not in item["body"]
    assert item["authors"] == [{"name": "Park Han-na", "email": None}] and item["byline"] == "By 박한나"


def test_malformed_html_with_nul_and_control_characters_is_exported_clean(suite):
    item = suite[3][BY_NAME["control_characters"]]
    assert "Null bytes and bells in the text." in item["body"]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", json.dumps(item, ensure_ascii=False).replace("\\n", ""))


def test_every_exported_line_is_strict_json_and_splits_only_at_newlines(suite):
    result = suite[1]
    raw = result.files[0].read_bytes()
    text = raw.decode("utf-8")  # strict: no lone surrogate could be encoded
    assert len(text.splitlines()) == text.count("\n") == len(suite[3])
    for line in text.splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"non-standard constant {c}"))
        assert "\\ud8" not in line.lower()
    item = suite[3][BY_NAME["separators_and_surrogate"]]
    assert item["title"] == "Line separator and a lone \ufffd surrogate"
    assert "Paragraph separator inside." in item["body"]


def test_an_honest_user_agent_names_the_crawler_and_a_contact(suite):
    agents = {h.headers.get("user-agent") for h in suite[0].hits}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("herald_crawler/") and "+http" in agent


def test_telnet_and_remote_control_are_off(suite):
    log = suite[1].log
    assert "Telnet console listening" not in log and "TelnetConsole" not in log
    assert "RemoteControl" not in log.split("Enabled extensions")[1].split("]")[0]


# -- separate crawls ----------------------------------------------------------------------------------------


def test_a_site_that_blocks_us_stops_the_run_with_a_clear_reason(crawl):
    with FaultServer() as server:
        # one URL answering 403 for ever, retried on 403: the refusals fill the block window
        result = crawl(server.base_url, "-a", f"urls={server.url('http_403')}",
                       settings={"RETRY_TIMES": 12, "HERALD_BLOCK_MIN": 5, "HERALD_BACKOFF_BASE": 0,
                                 "RETRY_HTTP_CODES": "403"})
    assert result.returncode == 1
    assert "the site is blocking this crawler" in result.log
    assert "the site blocked the crawl and it was stopped" in result.log
    assert len(server.hits_for("http_403")) < 13  # stopped before the retries ran out
    assert result.files == []


@pytest.mark.parametrize("mode, expected", [("disallow", ("skipped", "robots")), ("missing", ("exported", None))])
def test_robots_txt_rules_and_a_missing_robots_txt(crawl, mode, expected):
    with FaultServer(robots=mode) as server:
        result = crawl(server.base_url, "-a", f"urls={server.url('robots_disallowed')},{server.url('ok')}")
    assert result.returncode == 0, result.log[-2000:]
    entry = result.last_ledger[BY_NAME["robots_disallowed"]]
    assert (entry["outcome"], entry["reason"]) == expected


def test_robots_txt_answering_503_postpones_the_crawl_and_fails_the_run(crawl):
    with FaultServer(robots="unavailable") as server:
        result = crawl(server.base_url, "-a", f"urls={server.url('ok')}", settings={"RETRY_TIMES": 0})
    assert result.returncode == 1
    assert "robots.txt could not be read, the crawl is postponed" in result.log
    assert server.hits_for("ok") == []  # nothing fetched while robots.txt is unreadable
    assert result.files == []


def test_hostile_sitemaps_are_refused_or_read_safely(crawl):
    with FaultServer(robots="sitemaps") as server:
        result = crawl(server.base_url, "-a", "channels=sitemap", settings={"DOWNLOAD_MAXSIZE": 1024 * 1024})
    log = result.log
    assert "xxe.xml declares XML entities: refused" in log
    assert "laughs.xml declares XML entities: refused" in log
    assert re.search(r"bomb\.xml\.gz (refused|.*exceeded)", log) or "DOWNLOAD_MAXSIZE" in log
    assert "truncated.xml is truncated: 2 URL(s) read" in log
    assert "root:" not in log
    assert result.returncode == 0, log[-2000:]
    assert {i["article_id"] for i in result.items} == {BY_NAME["ok"], BY_NAME["utf8_korean"]}


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/html,<h1>x</h1>", "ftp://www.koreaherald.com/article/10456893",
                                 "s3://bucket/article/10456893", "http://127.0.0.2:1/article/10456893"])
def test_only_http_urls_on_the_site_are_accepted_as_arguments(crawl, url):
    with FaultServer() as server:
        result = crawl(server.base_url, "-a", f"urls={url}")
    assert result.returncode == 2
    assert "is not a Korea Herald article URL" in result.log
    assert server.hits == []


def test_secrets_never_reach_the_log(crawl):
    with FaultServer() as server:
        result = crawl(server.base_url, "-a", f"urls={server.url('ok')}",
                       settings={"AWS_SECRET_ACCESS_KEY": "hunter2secret", "ZYTE_API_KEY": "zyte-key-123",
                                 "HERALD_CONTACT": "https://crawler:pa55word@example.org/contact"})
    assert result.returncode == 0, result.log[-2000:]
    for secret in ("hunter2secret", "zyte-key-123", "pa55word"):
        assert secret not in result.log
    assert "'AWS_SECRET_ACCESS_KEY': '***'" in result.log


def test_an_output_path_cannot_climb_out_of_the_output_directory(crawl, tmp_path):
    with FaultServer() as server:
        out = tmp_path / "out"
        result = crawl(server.base_url, "-a", f"urls={server.url('ok')}", "-a", "_job=../../escaped",
                       "-o", f"{out}/%(_job)s.jsonl", output_dir=out)
    assert result.returncode == 0, result.log[-2000:]
    assert not list(tmp_path.glob("escaped*")) and not list(tmp_path.parent.glob("escaped*"))
    assert [p.name for p in out.glob("*.jsonl") if ".ledger." not in p.name] == ["_.._escaped.jsonl"]


@pytest.mark.parametrize("value, seconds", [("2", 2.0), ("0", 0.0), (" 120 ", 120.0), ("soon", None), (None, None)])
def test_retry_after_values(value, seconds):
    assert retry_after_seconds(value) == seconds


def test_retry_after_as_an_http_date():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 28, 3, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Sat, 28 Nov 2026 03:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sat, 28 Nov 2026 02:59:00 GMT", now) == 0.0


@pytest.mark.parametrize(
    ("body", "redirected"),
    [
        (b'<html><head><meta http-equiv="refresh" content="0; url=/article/10456893"></head><body></body></html>', True),
        (b'<html><head><META HTTP-EQUIV="Refresh" CONTENT="1;URL=/article/10456893"></head></html>', True),
        ('\ufeff<html><head><meta http-equiv="refresh" content="0; url=/article/10456893"></head></html>'
         .encode("utf-16-le"), True),
        (b"<html><head><title>An article</title></head><body>" + b"x" * 200_000 + b"</body></html>", False),
        (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head></html>', False),
    ],
    ids=["refresh", "upper-case", "utf-16", "none", "other-http-equiv"],
)
def test_meta_refresh_redirects_are_followed_without_decoding_every_page(body, redirected):
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from herald_crawler.middlewares import QuickMetaRefreshMiddleware

    middleware = QuickMetaRefreshMiddleware.from_crawler(get_crawler())
    request = Request("https://www.koreaherald.com/view.php?ud=20250403000123")
    response = HtmlResponse(request.url, body=body, request=request)
    result = middleware.process_response(request, response)
    if redirected:
        assert isinstance(result, Request) and result.url == "https://www.koreaherald.com/article/10456893"
    else:
        assert result is response
