"""The page archive: every fetched article page kept in WARC files, so the dataset can be rebuilt offline.

``WarcArchive`` (an extension) writes a WARC ``response`` record (warcio) for each article page answered
200, with the run's facts in ``WARC-Herald-*`` headers, into ``HERALD_ARCHIVE_DIR/herald-<run id>-NNNNN.warc.gz``:
one file per run, a new one each time ``HERALD_ARCHIVE_MAX_BYTES`` is passed. Each record is its own gzip
member, as the WARC standard recommends (level 3: nearly the size of level 9 at a third of the time).
A file is written as ``.part`` and renamed when closed; a killed run leaves a ``.part`` whose complete
records are still readable. ``read_archive`` yields the pages back for the ``herald_archive`` spider.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .storage import close_synced, temp_path

logger = logging.getLogger(__name__)

_DROPPED_HEADERS = {b"content-length", b"content-encoding", b"transfer-encoding"}  # the body is stored decoded


@dataclass(frozen=True)
class ArchivedPage:
    url: str
    body: bytes
    content_type: str
    article_id: str
    discovered_via: str
    fetched_at: str


class WarcArchive:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.getbool("HERALD_ARCHIVE_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.directory = Path(settings.get("HERALD_ARCHIVE_DIR") or "archive").expanduser()
        self.max_bytes = settings.getint("HERALD_ARCHIVE_MAX_BYTES", 1 << 30)
        self.level = settings.getint("HERALD_ARCHIVE_GZIP_LEVEL", 3)
        self.run_id = ""
        self.number = 0
        self.handle: Any = None
        self.path: Path | None = None
        # Compressing ~100 KB pages costs about a millisecond each; zlib releases the GIL, so one worker
        # thread does it beside the crawl. One worker keeps the records in fetch order.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcArchive:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.run_id = getattr(spider, "run_id", "run")

    def _rotate(self) -> None:
        self._close()
        self.number += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / f"herald-{self.run_id}-{self.number:05d}.warc.gz"
        self.handle = open(temp_path(self.path), "wb")  # noqa: SIM115 (long-lived)

    def _close(self) -> None:
        if self.handle is None or self.path is None:
            return
        close_synced(self.handle)
        os.replace(temp_path(self.path), self.path)
        logger.info("archive %s closed", self.path)
        self.handle = None

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        article_id = request.meta.get("article_id")
        if not article_id or response.status != 200:
            return
        record = self._record(response, request, article_id)
        self.executor.submit(self._write, record, response.url)

    def _write(self, record: bytes, url: str) -> None:
        """On the worker thread: compress one record as its own gzip member and append it."""
        try:
            compressor = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
            member = compressor.compress(record) + compressor.flush()
            if self.handle is None or self.handle.tell() >= self.max_bytes:
                self._rotate()
            self.handle.write(member)
            self.crawler.stats.inc_value("herald/archive/records")
        except OSError as exc:
            self.crawler.stats.inc_value("herald/archive/errors")
            logger.error("archive write failed for %s: %s", url, exc)

    def _record(self, response: Any, request: Any, article_id: str) -> bytes:
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            if name.lower() not in _DROPPED_HEADERS
            for value in values
        ]
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        record = writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            http_headers=StatusAndHeaders(f"{response.status} OK", headers, protocol="HTTP/1.1"),
            warc_headers_dict={
                "WARC-Herald-Article-Id": article_id,
                "WARC-Herald-Discovered-Via": request.meta.get("discovered_via", "urls"),
                "WARC-Herald-Run-Id": self.run_id,
            },
        )
        writer.write_record(record)
        return buffer.getvalue()

    def spider_closed(self, spider: Any) -> None:
        self.executor.shutdown(wait=True)
        try:
            self._close()
        except OSError as exc:
            logger.error("closing the archive failed: %s", exc)


def archive_files(paths: Iterable[str | Path]) -> list[Path]:
    """WARC files named directly or found in named directories (``*.warc.gz``, ``.part`` included), sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(path.glob("herald-*.warc.gz")) + sorted(path.glob(".herald-*.warc.gz.part"))
        else:
            found.append(path)
    return found


def read_archive(path: Path) -> Iterator[ArchivedPage]:
    """The article pages in a WARC file, in the order they were fetched; a cut-off tail is ignored."""
    with open(path, "rb") as handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response":
                    continue
                headers = record.rec_headers
                yield ArchivedPage(
                    url=headers.get_header("WARC-Target-URI"),
                    body=record.content_stream().read(),
                    content_type=record.http_headers.get_header("Content-Type") or "" if record.http_headers else "",
                    article_id=headers.get_header("WARC-Herald-Article-Id") or "",
                    discovered_via=headers.get_header("WARC-Herald-Discovered-Via") or "urls",
                    fetched_at=headers.get_header("WARC-Date") or "",
                )
        except Exception as exc:  # noqa: BLE001 (warcio raises several types on a truncated member)
            logger.warning("archive %s ends in a damaged record (%s): the pages before it were read", path, exc)
