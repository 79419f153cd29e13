"""State that outlives a run, in one SQLite file (WAL): articles seen, runs, and URLs still owed.

The small interface the crawl uses:

- ``article(id)``, ``resolve(id)``: what is known of an article (first seen, last fetched and status, content hash,
  near-duplicate signature, version, published date, duplicate_of);
- ``near_duplicate(signature, run_id)``: an earlier article whose body is nearly the same;
- ``stage(run_id, row)``: an article update made by the running crawl, held apart until the run publishes;
- ``queue``: URLs a run left pending or failed, retried by the next run (failed ones up to a cap);
- ``begin_run`` / ``publish_run`` / ``fail_run``: run records; ``publish_run`` applies the staged updates,
  the queue changes and the run record in one transaction.

Only one crawl uses a state file at a time: ``open_store`` takes an exclusive lock beside it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from .neardup import THRESHOLD, band_keys, similarity

SCHEMA_VERSION = 1
#: At most this many earlier articles sharing a band are compared: a family of near-identical stories (daily
#: market briefs) must not make each new one cost a scan of all of them.
CANDIDATES = 64

#: An article's columns, in the state and in a run's staged updates (the two tables must match).
_ARTICLE_COLUMNS = """
    article_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    last_status TEXT,
    content_hash TEXT,
    signature BLOB,
    version INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    duplicate_of TEXT,
    last_run TEXT,"""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles ({_ARTICLE_COLUMNS}
    PRIMARY KEY (article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signature_bands (
    band INTEGER NOT NULL, value INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (band, value, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    counts TEXT,
    output TEXT,
    manifest TEXT,
    pid INTEGER
);
CREATE TABLE IF NOT EXISTS queue (
    article_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    via TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
DROP TABLE IF EXISTS staged;  -- staged rows were JSON text before; they never outlive a run
CREATE TABLE IF NOT EXISTS staged_articles (
    run_id TEXT NOT NULL,{_ARTICLE_COLUMNS}
    PRIMARY KEY (run_id, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY, article_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_aliases (
    run_id TEXT NOT NULL, alias TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (run_id, alias)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_bands (
    run_id TEXT NOT NULL, band INTEGER NOT NULL, value INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (run_id, band, value, article_id)
) WITHOUT ROWID;
"""


class StateError(RuntimeError):
    """The state file cannot be used (locked by another run, unreadable, from a newer version)."""


@dataclass
class ArticleState:
    article_id: str
    first_seen: str
    last_fetched: str | None = None
    last_status: str | None = None
    content_hash: str | None = None
    signature: bytes | None = None
    version: int = 0
    published_at: str | None = None
    duplicate_of: str | None = None
    last_run: str | None = None


_FIELDS = tuple(f.name for f in fields(ArticleState))
_COLUMNS = ", ".join(_FIELDS)


@dataclass
class QueuedUrl:
    article_id: str
    url: str
    via: str
    status: str  # "pending" or "failed"
    reason: str | None
    attempts: int


class Store:
    """The SQLite state store. Use :func:`open_store`."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock_handle: Any) -> None:
        self.path = path
        self.db = connection
        self._lock_handle = lock_handle
        self._pending_stage = 0

    # -- articles --------------------------------------------------------------------------------------
    def article(self, article_id: str, run_id: str | None = None) -> ArticleState | None:
        """What is known of an article: this run's staged update if ``run_id`` has one, else the state."""
        if run_id is not None and (staged := self._staged(run_id, article_id)) is not None:
            return staged
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE article_id = ?", (article_id,)  # noqa: S608 (fixed names)
        ).fetchone()
        return ArticleState(*row) if row is not None else None

    def resolve(self, article_id: str) -> str:
        """The id an article is stored under: a legacy id that redirected to a cms id resolves to that id."""
        row = self.db.execute("SELECT article_id FROM aliases WHERE alias = ?", (article_id,)).fetchone()
        return row[0] if row else article_id

    def stage_alias(self, run_id: str, alias: str, article_id: str) -> None:
        """Remember (when the run publishes) that URLs naming ``alias`` lead to ``article_id``."""
        self.db.execute(
            "INSERT OR REPLACE INTO staged_aliases (run_id, alias, article_id) VALUES (?, ?, ?)",
            (run_id, alias, article_id),
        )

    def article_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def near_duplicate(
        self, signature: bytes, run_id: str, threshold: float = THRESHOLD, exclude: str | None = None
    ) -> str | None:
        """The id of a known or staged article whose body's estimated similarity is ``threshold`` or more.

        Of several, the most similar; of equally similar ones, the earliest first seen.
        """
        keys = band_keys(signature)
        known = " OR ".join(["(band = ? AND value = ?)"] * len(keys))
        staged = " OR ".join(["(run_id = ? AND band = ? AND value = ?)"] * len(keys))  # each an index search
        candidates = {
            row[0]
            for row in self.db.execute(
                f"SELECT article_id FROM signature_bands WHERE {known}"  # noqa: S608 (placeholders only)
                f" UNION SELECT article_id FROM staged_bands WHERE {staged} LIMIT {CANDIDATES}",
                (*(x for pair in keys for x in pair), *(x for band, key in keys for x in (run_id, band, key))),
            )
        }
        candidates.discard(exclude or "")
        best: tuple[float, str, str] | None = None
        for article_id, (first_seen, other) in self._signatures(run_id, candidates).items():
            if other is None:
                continue
            score = similarity(signature, other)
            first_seen = first_seen or ""
            if score >= threshold and (best is None or (-score, first_seen) < (-best[0], best[1])):
                best = (score, first_seen, article_id)
        return best[2] if best else None

    def _signatures(self, run_id: str, ids: set[str]) -> dict[str, tuple[str, bytes | None]]:
        """(first seen, signature) of each id, from this run's staged update if it has one, else the state:
        two queries for all candidates, not two per candidate."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        found: dict[str, tuple[str, bytes | None]] = {
            article_id: (first_seen, sig)
            for article_id, first_seen, sig in self.db.execute(
                f"SELECT article_id, first_seen, signature FROM articles WHERE article_id IN ({marks})",  # noqa: S608
                tuple(ids),
            )
        }
        for article_id, first_seen, sig in self.db.execute(
            f"SELECT article_id, first_seen, signature FROM staged_articles "  # noqa: S608 (placeholders only)
            f"WHERE run_id = ? AND article_id IN ({marks})",
            (run_id, *ids),
        ):
            found[article_id] = (first_seen, sig)  # the run's own update wins
        return found

    # -- staging -----------------------------------------------------------------------------------------
    def _staged(self, run_id: str, article_id: str) -> ArticleState | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM staged_articles WHERE run_id = ? AND article_id = ?",  # noqa: S608
            (run_id, article_id),
        ).fetchone()
        return ArticleState(*row) if row is not None else None

    def stage(self, run_id: str, state: ArticleState) -> None:
        """Hold an article update until the run publishes (committed in batches, applied by publish_run)."""
        self.db.execute(
            f"INSERT OR REPLACE INTO staged_articles (run_id, {_COLUMNS}) "  # noqa: S608 (fixed names)
            f"VALUES (?, {', '.join('?' * len(_FIELDS))})",
            (run_id, *astuple(state)),
        )
        if state.signature is not None:
            self.db.executemany(
                "INSERT OR IGNORE INTO staged_bands (run_id, band, value, article_id) VALUES (?, ?, ?, ?)",
                [(run_id, band, key, state.article_id) for band, key in band_keys(state.signature)],
            )
        self._pending_stage += 1
        if self._pending_stage >= 200:
            self.flush()

    def flush(self) -> None:
        self.db.commit()
        self._pending_stage = 0

    # -- queue -------------------------------------------------------------------------------------------
    def queued(self, max_attempts: int) -> list[QueuedUrl]:
        """URLs owed from earlier runs: every pending one, and failed ones tried fewer than ``max_attempts``."""
        rows = self.db.execute(
            "SELECT article_id, url, via, status, reason, attempts FROM queue "
            "WHERE status = 'pending' OR (status = 'failed' AND attempts < ?) ORDER BY updated_at",
            (max_attempts,),
        )
        return [QueuedUrl(*row) for row in rows]

    # -- runs --------------------------------------------------------------------------------------------
    def begin_run(self, run_id: str, started_at: str) -> None:
        self.db.execute(
            "INSERT INTO runs (run_id, started_at, outcome, pid) VALUES (?, ?, 'running', ?)",
            (run_id, started_at, os.getpid()),
        )
        self.db.commit()

    def interrupted_runs(self, current: str) -> list[dict[str, Any]]:
        """Runs left 'running' or 'publishing' by a process that died (the lock proves none is alive)."""
        rows = self.db.execute(
            "SELECT run_id, outcome, output, manifest FROM runs WHERE outcome IN ('running', 'publishing') "
            "AND run_id != ?",
            (current,),
        ).fetchall()
        return [dict(zip(("run_id", "outcome", "output", "manifest"), row)) for row in rows]

    def mark_run(self, run_id: str, outcome: str, finished_at: str | None = None) -> None:
        self.db.execute(
            "UPDATE runs SET outcome = ?, finished_at = COALESCE(?, finished_at) WHERE run_id = ?",
            (outcome, finished_at, run_id),
        )
        self._clear_staged(run_id)
        self.db.commit()

    def fail_run(self, run_id: str, finished_at: str, counts: dict[str, Any]) -> None:
        """Record a failed run; its staged article updates are discarded, the queue is left as it was."""
        self.db.execute(
            "UPDATE runs SET outcome = 'failed', finished_at = ?, counts = ? WHERE run_id = ?",
            (finished_at, json.dumps(counts), run_id),
        )
        self.mark_run(run_id, "failed")

    def publish_run(
        self,
        run_id: str,
        finished_at: str,
        counts: dict[str, Any],
        output: str | None,
        manifest: str | None,
        resolved: Iterable[str],
        owed: Iterable[QueuedUrl],
    ) -> None:
        """In one transaction: apply the run's staged article updates, settle the queue (``resolved`` ids
        leave it, ``owed`` ones are written with their attempts), and record the run as 'publishing' with
        its files. The caller renames the files into place, then calls :meth:`mark_run` ('ok')."""
        with self.db:
            self.db.execute(  # inside SQLite: a run of any size costs no Python memory here
                f"INSERT OR REPLACE INTO articles ({_COLUMNS}) "  # noqa: S608 (fixed names)
                f"SELECT {_COLUMNS} FROM staged_articles WHERE run_id = ?",
                (run_id,),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO signature_bands (band, value, article_id) "
                "SELECT band, value, article_id FROM staged_bands WHERE run_id = ?",
                (run_id,),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO aliases (alias, article_id) "
                "SELECT alias, article_id FROM staged_aliases WHERE run_id = ?",
                (run_id,),
            )
            self.db.executemany("DELETE FROM queue WHERE article_id = ?", ((i,) for i in resolved))
            self.db.executemany(
                "INSERT OR REPLACE INTO queue (article_id, url, via, status, reason, attempts, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((q.article_id, q.url, q.via, q.status, q.reason, q.attempts, finished_at) for q in owed),
            )
            self.db.execute(
                "UPDATE runs SET outcome = 'publishing', finished_at = ?, counts = ?, output = ?, manifest = ? "
                "WHERE run_id = ?",
                (finished_at, json.dumps(counts), output, manifest, run_id),
            )
            self._clear_staged(run_id)

    def _clear_staged(self, run_id: str) -> None:
        for table in ("staged_articles", "staged_bands", "staged_aliases"):
            self.db.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))  # noqa: S608 (fixed names)

    def runs(self) -> Iterator[dict[str, Any]]:
        cursor = self.db.execute(
            "SELECT run_id, started_at, finished_at, outcome, counts, output, manifest FROM runs ORDER BY started_at"
        )
        for row in cursor:
            record = dict(zip(("run_id", "started_at", "finished_at", "outcome", "counts", "output", "manifest"), row))
            record["counts"] = json.loads(record["counts"]) if record["counts"] else None
            yield record

    def close(self) -> None:
        try:
            self.db.commit()
            self.db.close()
        finally:
            if self._lock_handle is not None:
                self._lock_handle.close()
                self._lock_handle = None


def open_store(path: str | Path) -> Store:
    """Open (creating if needed) the state file and lock it for this process.

    Raises StateError when another run holds the lock or the file is not a usable state file.
    """
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_handle = open(path.with_name(path.name + ".lock"), "a+")  # noqa: SIM115 (held until close)
    except OSError as exc:
        raise StateError(f"state file {path} cannot be created: {exc}") from None
    try:
        fcntl.flock(lock_handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_handle.close()
        raise StateError(f"state file {path} is in use by another run (lock {lock_handle.name})") from None
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_SCHEMA)
        found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            db.commit()
        elif int(found[0]) > SCHEMA_VERSION:
            raise StateError(f"state file {path} has schema {found[0]}, newer than this crawler's {SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        lock_handle.close()
        raise StateError(f"state file {path} is not a usable SQLite state file: {exc}") from None
    except StateError:
        lock_handle.close()
        raise
    return Store(path, db, lock_handle)
