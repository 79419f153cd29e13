"""Run identity: the id every run's output file is named by."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone


def new_run_id(now: datetime | None = None) -> str:
    """``20261128T021530Z-3f9a``: the run's UTC start time, then 4 random hex digits so two runs never clash."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
