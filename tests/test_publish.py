"""Scheduled runs end to end against the mirror: what is new or changed goes out, killed and failed runs
publish nothing, and nothing discovered is lost."""

import json
import signal
import sqlite3
import subprocess
import time

import pytest

from herald_crawler.ledger import adds_up
from tests.crawls import CRAWL_ENV, PROJECT, crawl_command, export_files, published
from tests.goldens import golden_paths, load_golden
from tests.mirror.server import Answer

GOLDEN = {load_golden(p)["article_id"]: load_golden(p) for p in golden_paths()}
EVERYTHING_RECENT = {"HERALD_REFETCH_DAYS": 100000}  # every known article is due for a re-fetch


def served(mirror, target):
    return mirror.mirror.answer(target, mirror.base_url).body


def check_manifests(result):
    """Every published file has its manifest, the manifest describes it, and the ledger adds up."""
    import hashlib

    for path in export_files(result.output_dir):
        manifest = json.loads((path.parent / path.name.replace(".jsonl", ".manifest.json")).read_text())
        assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        ledger = (path.parent / manifest["ledger_file"]).read_bytes()
        assert manifest["ledger_sha256"] == hashlib.sha256(ledger).hexdigest()
        assert len(ledger.splitlines()) == manifest["ledger"]["discovered"]
        assert manifest["items"] == len(path.read_text("utf-8").splitlines())
        assert manifest["outcome"] == "ok" and manifest["schema_version"] == "3"
        assert adds_up(manifest["ledger"])
        assert manifest["monitors"]["failed"] == []
    assert not list(result.output_dir.glob(".*")), "no temporary file may remain"


def test_a_second_run_with_no_change_exports_nothing(mirror, crawl):
    first = crawl(mirror.base_url, settings=EVERYTHING_RECENT)
    assert first.returncode == 0, first.log[-2000:]
    second = crawl(mirror.base_url, settings=EVERYTHING_RECENT)
    assert second.returncode == 0, second.log[-2000:]
    check_manifests(second)
    assert len(second.files) == 2
    assert second.files[-1].read_text() == ""
    ledger = second.last_manifest["ledger"]
    assert ledger["exported"] == 0 and ledger["unchanged"] == len(GOLDEN)
    # by default old articles are not even fetched again
    third = crawl(mirror.base_url)
    assert third.returncode == 0
    ledger = third.last_manifest["ledger"]
    assert ledger["exported"] == 0 and ledger["skipped"] == {"already_known": ledger["discovered"]}
    assert sorted(i["article_id"] for i in third.items) == sorted(GOLDEN)  # across the runs: each once


def test_a_changed_article_is_exported_again_as_version_2(mirror, crawl):
    assert crawl(mirror.base_url).returncode == 0
    target = "/view.php?ud=20200826000789"
    page = served(mirror, target).replace(b"Analysts expect the won", b"Most analysts expect the won")
    mirror.override(target, Answer(200, page))
    second = crawl(mirror.base_url, "-a", "refetch=all")
    assert second.returncode == 0, second.log[-2000:]
    check_manifests(second)
    (item,) = [json.loads(line) for line in second.files[-1].read_text().splitlines()]
    assert item["article_id"] == "20200826000789" and item["version"] == 2
    assert "Most analysts expect the won" in item["body"]
    assert second.last_manifest["ledger"]["unchanged"] == len(GOLDEN) - 1


def test_a_new_article_in_a_feed_is_exported_alone(mirror, crawl):
    assert crawl(mirror.base_url).returncode == 0
    page = served(mirror, "/article/10456893")
    page = page.replace(b"10456893", b"10699999").replace(b"Chip exports rebound in March", b"Chip exports slow in April")
    page = page.replace(b"South Korea's semiconductor exports rose for the first time in four months in March",
                        b"Growth in South Korea's semiconductor exports slowed sharply in April")
    mirror.override("/article/10699999", Answer(200, page))
    feed = served(mirror, "/rss/newsAll").replace(
        b"<item>", b"<item><title>New</title><link>https://www.koreaherald.com/article/10699999</link>"
                   b"<pubDate>Fri, 28 Nov 2026 09:00:00 +09:00</pubDate></item>\n<item>", 1)
    mirror.override("/rss/newsAll", Answer(200, feed, "application/rss+xml"))
    second = crawl(mirror.base_url)
    assert second.returncode == 0, second.log[-2000:]
    (item,) = [json.loads(line) for line in second.files[-1].read_text().splitlines()]
    assert (item["article_id"], item["version"], item["discovered_via"]) == ("10699999", 1, "feed")
    assert item["title"] == "Chip exports slow in April on AI server demand"
    # most of its body is the earlier article's: it is marked a near-duplicate, not dropped
    assert item["duplicate_of"] == "10456893"


def test_backfill_exports_only_the_window_and_stops_paging_before_it(mirror, crawl):
    result = crawl(mirror.base_url, "-a", "since=2014-01-01", "-a", "until=2016-12-31", "-a", "channels=section")
    assert result.returncode == 0, result.log[-2000:]
    wanted = {a for a, g in GOLDEN.items() if "2014-01-01" <= (g["published_at"] or "")[:10] <= "2016-12-31"}
    got = {i["article_id"] for i in result.items}
    assert wanted and got == wanted & got and got  # nothing outside the window
    ledger = result.last_manifest["ledger"]
    assert ledger["skipped"].get("outside_window", 0) > 0
    assert adds_up(ledger)
    # the current lists (2025 on) are newer than the window: they are paged through to reach it
    assert "/National?page=2" in mirror.requests


def test_backfill_stops_paging_at_a_list_page_dated_before_the_window(mirror, crawl):
    result = crawl(mirror.base_url, "-a", "since=2025-01-01", "-a", "channels=section")
    assert result.returncode == 0, result.log[-2000:]
    # the legacy lists hold 2012-2024 articles: their first page is before the window, their second never asked
    assert "/list.php?ct=020100000000" in mirror.requests
    assert not [r for r in mirror.requests if r.startswith("/list.php") and "np=2" in r]
    assert "stopped_paging" in result.log or "paging stops" in result.log
    assert all(i["published_at"] is None or i["published_at"] >= "2025-01-01" for i in result.items)


@pytest.mark.parametrize("arguments, message", [
    (("since=2016-12-31", "until=2014-01-01"), "since=2016-12-31 is after until=2014-01-01: the window is reversed"),
    (("since=2014-13-01",), "since: '2014-13-01' is not a date in the form YYYY-MM-DD"),
    (("until=2014-01-01",), "until='2014-01-01' needs since=YYYY-MM-DD"),
    (("refetch=some",), "refetch='some' is not accepted: expected one of recent, all"),
])
def test_bad_windows_are_clear_errors(mirror, crawl, arguments, message):
    result = crawl(mirror.base_url, *[a for arg in arguments for a in ("-a", arg)])
    assert result.returncode == 2 and message in result.log


def _start_slow_crawl(mirror, tmp_path, delay=0.25):
    """A crawl whose article pages each take ``delay`` seconds, two at a time: long enough to interrupt."""

    def slow(target):
        def answer():
            time.sleep(delay)
            return mirror.mirror.answer(target, mirror.base_url)
        return answer

    for golden in GOLDEN.values():
        path = golden["url"].replace("https://www.koreaherald.com", "")
        mirror.override(path, slow(path))
    command = crawl_command(mirror.base_url, tmp_path / "output", tmp_path / "state" / "herald.sqlite",
                            settings={"CONCURRENT_REQUESTS": 2})
    return subprocess.Popen(command, cwd=PROJECT, env=CRAWL_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _wait_for_articles(mirror, count, process, timeout=60):
    end = time.time() + timeout
    while time.time() < end and process.poll() is None:
        if len([r for r in mirror.requests if r.startswith(("/view.php", "/article/"))]) >= count:
            return
        time.sleep(0.05)
    raise AssertionError("the crawl did not reach the articles in time")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_run_publishes_nothing_and_the_rerun_exports_everything_once(mirror, crawl, tmp_path, sig):
    process = _start_slow_crawl(mirror, tmp_path)
    _wait_for_articles(mirror, 12, process)
    process.send_signal(sig)
    log, _ = process.communicate(timeout=60)
    assert process.returncode != 0, log[-2000:]
    assert published(tmp_path / "output") == []
    assert not list((tmp_path / "output").glob("herald-*"))  # no file without manifest either
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0  # state not advanced
    mirror._overrides.clear()
    rerun = crawl(mirror.base_url)
    assert rerun.returncode == 0, rerun.log[-2000:]
    check_manifests(rerun)
    ids = [i["article_id"] for i in rerun.items]
    assert sorted(ids) == sorted(GOLDEN)  # every article exactly once across the runs
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        outcomes = [row[0] for row in db.execute("SELECT outcome FROM runs ORDER BY started_at")]
    assert outcomes == (["failed", "ok"] if sig == signal.SIGTERM else ["killed", "ok"])
    print(f"killed ({sig.name}) then rerun: ledger {rerun.last_manifest['ledger']}")


def test_an_unwritable_output_directory_fails_the_run_and_advances_nothing(mirror, crawl, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = crawl(mirror.base_url, output_dir=blocker / "output")
    assert result.returncode == 1
    assert "output directory" in result.log and "is not writable" in result.log
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0


def _can_mount_tmpfs():
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs a private mount namespace for a small tmpfs")
def test_a_full_disk_fails_the_run_with_no_manifest_and_no_state_advance(mirror, tmp_path):
    output = tmp_path / "full"
    output.mkdir()
    command = crawl_command(mirror.base_url, output, tmp_path / "state" / "herald.sqlite")
    # the output directory is a 48 KiB file system: the export (~150 KB) cannot fit
    wrapped = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o size=48k tmpfs "{output}" && exec "$@"', "sh", *command]
    done = subprocess.run(wrapped, cwd=PROJECT, env=CRAWL_ENV, capture_output=True, text=True, timeout=180)
    log = done.stdout + done.stderr
    assert done.returncode == 1, log[-3000:]
    assert "No space left on device" in log
    assert not list(output.glob("*"))  # the mount is gone with the process; nothing was written beneath it
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert [r[0] for r in db.execute("SELECT outcome FROM runs")] == ["failed"]


def test_failed_urls_are_retried_by_later_runs_up_to_the_cap(mirror, crawl, tmp_path):
    target = "/view.php?ud=20200826000789"
    mirror.override(target, Answer(500, b"busy"))
    # the thresholds are lifted: the later runs fetch only this one URL, and its failure is what is tested
    settings = {"RETRY_TIMES": 0, "HERALD_MAX_ATTEMPTS": 2, "HERALD_MAX_FAILED_RATIO": 1, "HERALD_MAX_5XX_RATIO": 1}
    first = crawl(mirror.base_url, settings=settings)
    assert first.returncode == 0, first.log[-2000:]  # one failure in 65 is under the failed-share limit
    assert first.last_manifest["ledger"]["failed"] == {"http_500": 1}
    # the next run's discovery does not list that article, but the run still owes it
    second = crawl(mirror.base_url, "-a", "sections=Sports", "-a", "channels=feed", settings=settings)
    assert second.returncode == 0, second.log[-2000:]
    assert second.last_manifest["ledger"]["failed"] == {"http_500": 1}
    third = crawl(mirror.base_url, "-a", "sections=Sports", "-a", "channels=feed", settings=settings)
    assert third.last_manifest["ledger"]["failed"] == {}  # two attempts made: no longer retried
    assert mirror.requests.count(target) == 2
    mirror.override(target, None)
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        assert db.execute("SELECT status, attempts FROM queue").fetchall() == [("failed", 2)]


def test_urls_left_pending_by_a_budgeted_run_are_fetched_by_the_next(mirror, crawl, tmp_path):
    first = crawl(mirror.base_url, settings={"CLOSESPIDER_ITEMCOUNT": 5, "CONCURRENT_REQUESTS": 1})
    assert first.returncode == 0, first.log[-2000:]
    assert first.last_manifest["ledger"]["pending"] > 0 and adds_up(first.last_manifest["ledger"])
    with sqlite3.connect(tmp_path / "state" / "herald.sqlite") as db:
        owed = {row[0] for row in db.execute("SELECT article_id FROM queue WHERE status = 'pending'")}
    assert len(owed) == first.last_manifest["ledger"]["pending"]
    # a run whose own discovery reads only the sitemap still fetches every URL the first run owed
    second = crawl(mirror.base_url, "-a", "channels=sitemap")
    assert second.returncode == 0, second.log[-2000:]
    second_ids = {json.loads(line)["article_id"] for line in second.files[-1].read_text().splitlines()}
    resolved = {aid for aid in owed if aid in GOLDEN}
    assert resolved <= second_ids
    third = crawl(mirror.base_url)
    assert third.returncode == 0
    assert sorted(i["article_id"] for i in third.items) == sorted(GOLDEN)  # all, each once, across the runs
