"""The end of a run: judge it, and only if it succeeded publish its file and manifest and advance the state.

Order, so that a kill at any point leaves no published file without its manifest and loses nothing:

1. the export is already complete under a temporary name (flushed, fsynced: ``storage.py``);
2. the per-URL ledger and the manifest (run id, times, outcome, schema version, item count, the file's
   sha256, the ledger's counts, the monitors) are written under temporary names, flushed, fsynced;
3. one state transaction applies the run's article updates and queue changes and marks the run
   'publishing' with its file names;
4. the export, the ledger, then the manifest are renamed into place; the run is marked 'ok'.

A failed run's per-URL ledger is kept beside the state (``runs/<run id>.ledger.jsonl``) for diagnosis.

A run killed during 4 is rolled forward by the next run (``roll_forward``); one killed earlier left only
temporary files, which the next run removes. A failed run publishes nothing and leaves the state's
articles and queue as they were.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .extensions import Export, RunState
from .ledger import adds_up
from .outcome import DEFAULT_MAX_FAILED_RATIO, failure_reasons
from .storage import close_synced, temp_path
from .storage import publish as publish_file
from .store import QueuedUrl
from .validation import SCHEMA_VERSION

logger = logging.getLogger("herald_crawler")


@dataclass
class RunReport:
    run_id: str
    outcome: str  # "ok" or "failed"
    reasons: list[str] = field(default_factory=list)
    output: Path | None = None
    manifest: Path | None = None
    counts: dict[str, Any] = field(default_factory=dict)


def _sibling(export_path: Path, suffix: str) -> Path:
    name = export_path.name
    for ending in (".jsonl.gz", ".jsonl"):
        if name.endswith(ending):
            return export_path.with_name(name[: -len(ending)] + suffix)
    return export_path.with_name(name + suffix)


def manifest_path(export_path: Path) -> Path:
    return _sibling(export_path, ".manifest.json")


def ledger_path(export_path: Path) -> Path:
    """Where the run's per-URL ledger goes beside its export: one JSON object per discovered URL."""
    return _sibling(export_path, ".ledger.jsonl")


def write_ledger(state: RunState, path: Path) -> str:
    """Write the run's ledger entries (id, url, via, outcome, reason), synced; return its sha256.

    Written line by line: a run of any size holds one line in memory here, not the whole file.
    """
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        for key, e in state.ledger.entries.items():
            line = json.dumps({"article_id": key, "url": e.url, "via": e.via, "outcome": e.outcome,
                               "reason": e.reason}, ensure_ascii=False).encode("utf-8") + b"\n"
            digest.update(line)
            handle.write(line)
        close_synced(handle)
    return digest.hexdigest()


def _file_facts(path: Path) -> tuple[str, int, int]:
    """sha256 of the file as stored, its size, and its number of JSON lines (read through gzip if needed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    return digest.hexdigest(), path.stat().st_size, lines


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        close_synced(handle)


def roll_forward(run: dict[str, Any]) -> None:
    """Put in place the files of a run killed while publishing (its state is already committed)."""
    output = Path(run["output"]) if run.get("output") else None
    for final in (output, ledger_path(output) if output else None, Path(run["manifest"]) if run.get("manifest") else None):
        if final is not None and temp_path(final).exists() and not final.exists():
            publish_file(temp_path(final), final)


def _owed(state: RunState) -> tuple[list[str], list[QueuedUrl]]:
    """Ledger entries the queue forgets (ended), and the ones it keeps for the next run (pending, failed)."""
    resolved: list[str] = []
    owed: list[QueuedUrl] = []
    for key, entry in state.ledger.entries.items():
        if entry.outcome == "pending":
            owed.append(QueuedUrl(key, entry.url, entry.via, "pending", None, entry.attempts))
        elif entry.outcome == "failed":
            owed.append(QueuedUrl(key, entry.url, entry.via, "failed", entry.reason, entry.attempts + 1))
        else:
            resolved.append(key)
    return resolved, owed


def judge(state: RunState, explicit: bool) -> list[str]:
    """Every reason the run failed: stats, state and export problems, the ledger, the monitors."""
    settings = state.crawler.settings
    stats = state.crawler.stats.get_stats()
    reasons = failure_reasons(
        stats,
        explicit=explicit,
        max_failed_ratio=settings.getfloat("HERALD_MAX_FAILED_RATIO", DEFAULT_MAX_FAILED_RATIO),
        block_ratio=settings.getfloat("HERALD_BLOCK_RATIO", 0.5),
    )
    reasons += state.problems
    if state.store is None and not state.problems:
        reasons.append("the state store was never opened")
    counts = state.ledger.counts()
    if not adds_up(counts):
        reasons.append(f"the ledger does not add up: {counts}")
    for failed in state.monitor_results.get("failed", []):
        reasons.append(f"monitor failed: {failed}")
    if not state.exports:
        reasons.append("no export file was completed")
    return list(dict.fromkeys(reasons))


def finish_run(state: RunState, explicit: bool) -> RunReport:
    """Judge the run; publish its export and manifest and advance the state only if it succeeded."""
    finished_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    counts = state.ledger.counts()
    report = RunReport(state.run_id, "failed", judge(state, explicit), counts=counts)
    try:
        if report.reasons:
            _discard(state, finished_at, counts)
            return report
        export = state.exports[0]
        ledger = ledger_path(export.final_path)
        ledger_sha = write_ledger(state, temp_path(ledger))
        manifest = _write_manifest(state, export, finished_at, counts, ledger, ledger_sha)
        resolved, owed = _owed(state)
        assert state.store is not None
        state.store.publish_run(
            state.run_id, finished_at, counts, str(export.final_path), str(manifest), resolved, owed
        )
        publish_file(export.temp_path, export.final_path)
        publish_file(temp_path(ledger), ledger)
        publish_file(temp_path(manifest), manifest)
        state.store.mark_run(state.run_id, "ok")
        report.outcome, report.output, report.manifest = "ok", export.final_path, manifest
    except Exception as exc:  # noqa: BLE001 (a failure to publish fails the run, whatever it is)
        logger.exception("publishing run %s failed", state.run_id)
        report.reasons.append(f"publishing failed: {exc}")
        report.outcome = "failed"
        _discard(state, finished_at, counts)
    finally:
        if state.store is not None:
            state.store.close()
    return report


def _write_manifest(
    state: RunState, export: Export, finished_at: str, counts: dict[str, Any], ledger: Path, ledger_sha: str
) -> Path:
    sha256, size, items = _file_facts(export.temp_path)
    stats = state.crawler.stats.get_stats()
    spider = state.crawler.spider
    manifest = {
        "run_id": state.run_id,
        "started_at": state.started_at,
        "finished_at": finished_at,
        "outcome": "ok",
        "schema_version": SCHEMA_VERSION,
        "crawler_version": __version__,
        "file": export.final_path.name,
        "items": items,
        "bytes": size,
        "sha256": sha256,
        "ledger": counts,
        "ledger_file": ledger.name,
        "ledger_sha256": ledger_sha,
        "monitors": state.monitor_results,
        "layouts": {k.rsplit("/", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith("herald/layout/")},
        "extraction": extraction_summary(stats),
        "base_url": getattr(getattr(spider, "site", None), "base_url", None),
        "arguments": getattr(spider, "argument_summary", {}),
    }
    path = manifest_path(export.final_path)
    _write_synced(temp_path(path), json.dumps(manifest, indent=2).encode("utf-8") + b"\n")
    return path


def extraction_summary(stats: dict[str, Any]) -> dict[str, Any]:
    """How this run's articles were read, from the ``herald/extraction/`` counters: pages with warnings,
    warnings and missing values per field, and which source gave each field how often."""
    def counts(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}

    sources: dict[str, dict[str, int]] = {}
    for key, count in counts("herald/extraction/source/").items():
        name, source = key.split("/", 1)
        sources.setdefault(name, {})[source] = count
    return {
        "pages_with_warnings": int(stats.get("herald/extraction/pages_with_warnings", 0)),
        "warnings": counts("herald/extraction/warnings/"),
        "missing": counts("herald/extraction/missing/"),
        "sources": sources,
    }


def _discard(state: RunState, finished_at: str, counts: dict[str, Any]) -> None:
    """A failed run: remove its temporary files, keep its ledger beside the state for diagnosis, record it
    as failed, leave articles and queue alone."""
    for export in state.exports:
        export.temp_path.unlink(missing_ok=True)
    for leftover in state.output_dir.glob(f".herald-{state.run_id}.*"):
        leftover.unlink(missing_ok=True)
    try:
        write_ledger(state, state.state_path.parent / "runs" / f"{state.run_id}.ledger.jsonl")
    except OSError:
        logger.exception("could not keep the failed run's ledger")
    if state.store is not None:
        try:
            state.store.fail_run(state.run_id, finished_at, counts)
        except Exception:  # noqa: BLE001 (the state may be what failed)
            logger.exception("could not record run %s as failed in the state file", state.run_id)
