"""A local web server for the mirror: the site's URL forms mapped onto files under ``site/``.

Serves on 127.0.0.1 with a free port, rewrites the site's own absolute URLs to its base URL, records every
request, and lets a test change what a path answers (``override``) without touching the files.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SITE = Path(__file__).parent / "site"
LEGACY_LAYOUTS = ("2012", "2017", "2023")
_SELF = re.compile(rb"https?://www\.koreaherald\.com")
_SECTION_PATH = re.compile(r"^/([A-Za-z&-]+)(?:/([A-Za-z&-]+))?/?$")

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class Answer:
    """What the server sends for one request."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class Mirror:
    """Routes request targets to files of ``root``; pure, so tests can call :meth:`answer` directly."""

    def __init__(self, root: Path = SITE) -> None:
        self.root = root
        self.redirects: dict[str, str] = {}
        redirects = root / "redirects.json"
        if redirects.exists():
            self.redirects = json.loads(redirects.read_text("utf-8"))

    def file_for(self, target: str) -> Path | None:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            return self.root / "robots.txt"
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            return self.root / "sitemaps" / Path(path).name
        if path.startswith("/rss/"):
            return self.root / "rss" / f"{Path(path).name}.xml"
        if path == "/common/rss_xml.php" and "ct" in query:
            return self.root / "rss" / f"legacy-{query['ct'][0]}.xml"
        if path in ("/view.php", "/amp/view.php") and "ud" in query:
            ud = re.findall(r"\d{14}", query["ud"][0])
            for layout in LEGACY_LAYOUTS:
                if ud and (candidate := self.root / "articles" / layout / f"{ud[-1]}.html").exists():
                    return candidate
            return None
        if match := re.match(r"^(?:/amp)?/article/(\d{8})/?$", path):
            return self.root / "articles" / "cms" / f"{match.group(1)}.html"
        if path == "/list.php" and "ct" in query:
            page = query.get("np", ["1"])[0]
            return self.root / "sections" / "legacy" / f"{query['ct'][0]}-{page}.html"
        if match := _SECTION_PATH.match(path):
            name = "-".join(filter(None, match.groups()))
            page = query.get("page", ["1"])[0]
            return self.root / "sections" / "current" / f"{name}-{page}.html"
        return None

    def answer(self, target: str, base_url: str) -> Answer:
        path_and_query = target.split("#", 1)[0]
        if path_and_query in self.redirects:
            return Answer(301, b"", headers={"Location": base_url + self.redirects[path_and_query]})
        found = self.file_for(path_and_query)
        if found is None or not found.is_file():
            return Answer(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        body = _SELF.sub(base_url.encode(), found.read_bytes())
        return Answer(200, body, TYPES.get(found.suffix, "application/octet-stream"))


class MirrorServer:
    """The mirror on ``http://127.0.0.1:<free port>``, in a background thread."""

    def __init__(self, root: Path = SITE, host: str = "127.0.0.1", port: int = 0) -> None:
        self.mirror = Mirror(root)
        self.requests: list[str] = []
        self._overrides: dict[str, Callable[[], Answer] | Answer] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._lock:
                    server.requests.append(self.path)
                    override = (
                        server._overrides.get(self.path)
                        or server._overrides.get(self.path.split("?")[0])
                        or server._overrides.get("*")
                    )
                answer = override() if callable(override) else override
                if answer is None:
                    answer = server.mirror.answer(self.path, server.base_url)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="mirror", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def override(self, target: str, answer: Answer | Callable[[], Answer] | None) -> None:
        """Make ``target`` answer ``answer``; None restores it.

        ``target`` is a path with its query, a bare path (any query), or ``*`` (every other request).
        """
        with self._lock:
            if answer is None:
                self._overrides.pop(target, None)
            else:
                self._overrides[target] = answer

    def start(self) -> MirrorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
