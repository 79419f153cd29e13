"""Feed storage for local files that never shows a partial file: write to a temporary name, then rename.

Registered for ``file`` URIs (FEED_STORAGES). The export is written to ``.<name>.part`` beside its final
name and flushed and fsynced when the feed closes. In a herald crawl the run then decides
(``herald_crawler.publish``): the file is renamed into place with its manifest only if the run succeeded.
Without a herald run it is renamed at once. Either way a reader sees the complete file or none, a killed
run leaves only the ``.part`` file, and an existing file is never appended to or replaced.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """FEED_URI_PARAMS: every value that may go into an output path made a plain file-name fragment, so no
    argument can climb out of the output directory (``../``, ``/``, a leading dot)."""
    return {k: _UNSAFE.sub("_", v).lstrip(".") or "_" if isinstance(v, str) else v for k, v in params.items()}


def temp_path(path: Path) -> Path:
    """Where a file is written until it is complete: ``.<name>.part`` beside its final name."""
    return path.with_name(f".{path.name}.part")


def close_synced(handle: IO[bytes]) -> None:
    """Flush, fsync and close a file being written, so that what a rename then publishes is on disk."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


class AtomicFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Any = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.final_path = Path(self.path)
        self.temp_path = temp_path(self.final_path)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any, uri: str, *, feed_options: dict[str, Any] | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def _run(self) -> Any:
        """The herald RunState that decides whether to publish the file, if this crawl has one."""
        from .extensions import RunState  # noqa: PLC0415 (extensions imports publish, which imports this)

        return self.crawler.get_extension(RunState) if self.crawler is not None else None

    def open(self, spider: Any) -> IO[bytes]:
        if ".." in self.final_path.parts:
            raise ValueError(f"refusing an output path that climbs directories: {self.final_path}")
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        if self.final_path.exists():
            raise FileExistsError(f"{self.final_path} exists: a run never appends to or replaces an earlier file")
        return self.temp_path.open("wb")

    def store(self, file: IO[bytes]) -> None:
        close_synced(file)
        run = self._run()
        if run is not None:
            run.export_ready(self.temp_path, self.final_path)
        else:
            publish(self.temp_path, self.final_path)


def publish(temp_path: Path, final_path: Path) -> None:
    """Move a complete, fsynced file to its final name without ever replacing an existing file."""
    try:
        os.link(temp_path, final_path)  # fails atomically if final_path exists
    except FileExistsError:
        raise FileExistsError(f"{final_path} exists; the export stays at {temp_path}") from None
    except OSError:  # a file system without hard links
        if final_path.exists():
            raise FileExistsError(f"{final_path} exists; the export stays at {temp_path}") from None
        os.replace(temp_path, final_path)
    else:
        os.unlink(temp_path)
    directory = os.open(final_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
