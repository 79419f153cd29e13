"""The run's ledger: every article URL the run discovered, and the one place each ended.

Outcomes: ``exported``, ``unchanged``, ``dropped`` (reason), ``failed`` (reason), ``skipped`` (reason:
``robots``, ``offsite``, ``outside_window``, ``already_known``, ...) or, if the run ended first, ``pending``.
Entries are keyed by the article id the URL names; a URL naming an id already in the ledger is a repeat,
not a new entry. The counts always add up: discovered = exported + unchanged + dropped + failed + skipped
+ pending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

FINAL = ("exported", "unchanged", "dropped", "failed", "skipped")


@dataclass(slots=True)
class Entry:
    url: str
    via: str
    outcome: str = "pending"  # until it ends in one of FINAL
    reason: str | None = None
    attempts: int = 0  # failed attempts in earlier runs (carried from the queue)


class Ledger:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.repeats = 0
        self.discovered = 0  # counted apart from the entries, so the identity can catch a stray entry

    def discover(self, key: str, url: str, via: str, attempts: int = 0) -> bool:
        """Record a discovered URL; False (and a repeat counted) if its id is already in the ledger."""
        if key in self.entries:
            self.repeats += 1
            return False
        self.entries[key] = Entry(url, via, attempts=attempts)
        self.discovered += 1
        return True

    def _end(self, key: str, outcome: str, reason: str | None) -> None:
        entry = self.entries.get(key)
        if entry is None:  # an outcome for a URL never discovered: kept, and the identity will not hold
            entry = self.entries[key] = Entry("", "undiscovered")
        if entry.outcome == "pending":
            entry.outcome, entry.reason = outcome, reason

    def exported(self, key: str) -> None:
        self._end(key, "exported", None)

    def unchanged(self, key: str) -> None:
        self._end(key, "unchanged", None)

    def dropped(self, key: str, reason: str) -> None:
        self._end(key, "dropped", reason)

    def failed(self, key: str, reason: str) -> None:
        self._end(key, "failed", reason)

    def skipped(self, key: str, reason: str) -> None:
        self._end(key, "skipped", reason)

    def outcome(self, key: str) -> str | None:
        entry = self.entries.get(key)
        return entry.outcome if entry else None

    def counts(self) -> dict[str, Any]:
        """``{"discovered": n, "exported": n, "unchanged": n, "dropped": {reason: n}, "failed": {...},
        "skipped": {...}, "pending": n, "repeats": n}``."""
        totals: Counter[str] = Counter()
        reasons: dict[str, Counter[str]] = {"dropped": Counter(), "failed": Counter(), "skipped": Counter()}
        for entry in self.entries.values():
            totals[entry.outcome] += 1
            if entry.outcome in reasons:
                reasons[entry.outcome][entry.reason or "unknown"] += 1
        return {
            "discovered": self.discovered,
            "exported": totals["exported"],
            "unchanged": totals["unchanged"],
            "dropped": dict(sorted(reasons["dropped"].items())),
            "failed": dict(sorted(reasons["failed"].items())),
            "skipped": dict(sorted(reasons["skipped"].items())),
            "pending": totals["pending"],
            "repeats": self.repeats,
        }


def adds_up(counts: dict[str, Any]) -> bool:
    """The ledger identity: every discovered URL ended in exactly one place."""
    ended = counts["exported"] + counts["unchanged"] + counts["pending"]
    ended += sum(counts["dropped"].values()) + sum(counts["failed"].values()) + sum(counts["skipped"].values())
    return ended == counts["discovered"]
