import sqlite3

import pytest

from herald_crawler.neardup import signature
from herald_crawler.store import ArticleState, QueuedUrl, StateError, open_store
from tests.goldens import golden_paths, load_golden


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "state" / "herald.sqlite")
    yield opened
    opened.close()


def state(article_id, signature=None, version=1, content_hash="h1", first_seen="2026-01-01T00:00:00+00:00"):
    return ArticleState(article_id, first_seen, "2026-01-01T00:00:00+00:00", "exported", content_hash, signature,
                        version, "2025-04-03T09:15:00+09:00", None, "run-1")


def test_the_file_is_sqlite_in_wal_mode_and_locked_for_one_run(store, tmp_path):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(StateError, match="in use by another run"):
        open_store(tmp_path / "state" / "herald.sqlite")


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StateError, match="not a usable SQLite state file"):
        open_store(bad)


def test_staged_updates_count_only_once_the_run_publishes(store):
    store.begin_run("run-1", "2026-01-01T00:00:00+00:00")
    sig = signature("A body of some words for the signature.")
    store.stage("run-1", state("10456893", signature=sig))
    assert store.article("10456893") is None  # staged, not yet state
    store.publish_run("run-1", "2026-01-01T00:01:00+00:00", {"exported": 1}, "out.jsonl", "out.manifest.json", [], [])
    store.mark_run("run-1", "ok")
    known = store.article("10456893")
    assert known.version == 1 and known.signature == sig
    assert [r["outcome"] for r in store.runs()] == ["ok"]


def test_a_failed_run_leaves_articles_and_queue_as_they_were(store):
    store.begin_run("run-1", "2026-01-01T00:00:00+00:00")
    store.stage("run-1", state("10456893"))
    store.fail_run("run-1", "2026-01-01T00:01:00+00:00", {"exported": 1})
    assert store.article("10456893") is None
    assert store.db.execute("SELECT COUNT(*) FROM staged_articles").fetchone()[0] == 0
    assert [r["outcome"] for r in store.runs()] == ["failed"]


def test_the_queue_keeps_pending_and_failed_urls_up_to_the_cap(store):
    store.begin_run("run-1", "t")
    owed = [QueuedUrl("10000001", "u1", "feed", "pending", None, 0),
            QueuedUrl("10000002", "u2", "section", "failed", "http_500", 1),
            QueuedUrl("10000003", "u3", "section", "failed", "http_500", 3)]
    store.publish_run("run-1", "t2", {}, None, None, [], owed)
    assert [q.article_id for q in store.queued(max_attempts=3)] == ["10000001", "10000002"]
    store.begin_run("run-2", "t3")
    store.publish_run("run-2", "t4", {}, None, None, ["10000001"], [])
    assert [q.article_id for q in store.queued(max_attempts=3)] == ["10000002"]


def test_near_duplicates_are_found_in_state_and_among_the_runs_own_articles(store):
    first, second = (load_golden(p)["body"] for p in golden_paths()[:2])
    store.begin_run("run-1", "t")
    store.stage("run-1", state("10000001", signature=signature(first)))
    store.publish_run("run-1", "t", {}, None, None, [], [])
    store.begin_run("run-2", "t")
    assert store.near_duplicate(signature("SEOUL -- " + first), "run-2") == "10000001"
    assert store.near_duplicate(signature(second), "run-2") is None
    store.stage("run-2", state("10000002", signature=signature(second)))
    assert store.near_duplicate(signature(second + " More."), "run-2") == "10000002"  # staged in this run
    assert store.near_duplicate(signature(second), "run-2", exclude="10000002") is None


def test_aliases_resolve_once_published(store):
    store.begin_run("run-1", "t")
    store.stage_alias("run-1", "20250403000123", "10456893")
    assert store.resolve("20250403000123") == "20250403000123"
    store.publish_run("run-1", "t", {}, None, None, [], [])
    assert store.resolve("20250403000123") == "10456893"


def test_runs_a_dead_process_left_are_found(store):
    store.begin_run("run-1", "t")
    store.begin_run("run-2", "t")
    assert [r["run_id"] for r in store.interrupted_runs("run-2")] == ["run-1"]


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StateError, match="newer"):
        open_store(path)


def test_a_state_file_from_the_previous_version_opens_and_keeps_its_articles(tmp_path):
    """Before typed staging, a run's updates were JSON rows in ``staged``: such a file still works."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');"
            "CREATE TABLE articles (article_id TEXT PRIMARY KEY, first_seen TEXT NOT NULL, last_fetched TEXT,"
            " last_status TEXT, content_hash TEXT, signature BLOB, version INTEGER NOT NULL DEFAULT 0,"
            " published_at TEXT, duplicate_of TEXT, last_run TEXT) WITHOUT ROWID;"
            "INSERT INTO articles VALUES ('10456893', '2026-01-01T00:00:00+00:00', NULL, 'exported', 'h1', NULL, 1,"
            " NULL, NULL, 'run-0');"
            "CREATE TABLE staged (run_id TEXT NOT NULL, article_id TEXT NOT NULL, row TEXT NOT NULL,"
            " PRIMARY KEY (run_id, article_id)) WITHOUT ROWID;"
            "INSERT INTO staged VALUES ('run-dead', '1', '{}');"
        )
    store = open_store(path)
    try:
        assert store.article("10456893").version == 1
        store.begin_run("run-1", "2026-02-01T00:00:00+00:00")
        store.stage("run-1", state("10456893", version=2, content_hash="h2"))
        store.publish_run("run-1", "2026-02-01T00:10:00+00:00", {}, None, None, ["10456893"], [])
        assert (store.article("10456893").version, store.article("10456893").content_hash) == (2, "h2")
    finally:
        store.close()
