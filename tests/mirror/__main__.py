"""``python -m tests.mirror serve [PORT]`` serves the mirror; ``python -m tests.mirror demo`` also crawls it.

``make demo`` runs the demo: the bundled mirror on 127.0.0.1, crawled by ``scrapy crawl herald`` into
``output/`` with politeness delays off (it is our own server).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.crawls import export_files
from tests.mirror.server import MirrorServer

PROJECT = Path(__file__).resolve().parents[2]


def serve(port: int) -> int:
    with MirrorServer(port=port) as server:
        print(f"mirror on {server.base_url} (Ctrl-C stops it)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def demo(extra: list[str]) -> int:
    output = PROJECT / "output"
    before = set(export_files(output))
    with MirrorServer() as server, tempfile.TemporaryDirectory() as state:
        print(f"mirror on {server.base_url}; crawling it into {output}/", flush=True)
        # A fresh state each time: the demo always shows the whole mirror exported.
        code = subprocess.call(
            [sys.executable, "-m", "scrapy", "crawl", "herald", "-s", f"HERALD_BASE_URL={server.base_url}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", f"HERALD_STATE_PATH={state}/demo.sqlite", *extra],
            cwd=PROJECT,
        )
    for path in sorted(set(export_files(output)) - before):
        lines = path.read_text("utf-8").splitlines()
        print(f"wrote {path} ({len(lines)} articles)")
    return code


def main(argv: list[str]) -> int:
    if argv and argv[0] == "serve":
        return serve(int(argv[1]) if len(argv) > 1 else 8080)
    if argv and argv[0] == "demo":
        return demo(argv[1:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
