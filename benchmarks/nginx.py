"""nginx serving a synthetic mirror (``benchmarks.synthetic``) on 127.0.0.1, with the site's URL forms.

``with Nginx(root) as server: server.base_url`` starts ``/usr/sbin/nginx`` in the foreground with a config
of its own in a temporary directory (static files, sendfile, keep-alive, no access log) and stops it on exit.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from herald_crawler.sections import SECTIONS

NGINX = "/usr/sbin/nginx"
SECTION_PATHS = tuple(section.list_paths[0].lstrip("/") for section in SECTIONS)  # current list pages

CONFIG = """\
worker_processes {workers};
{user}pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    types {{
        text/html html;
        application/xml xml;
        text/plain txt;
    }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/plain application/xml application/rss+xml;  # text/html is charset_types default

    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 100000;
    open_file_cache max=20000 inactive=120s;
    server_tokens off;

    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

    # view.php?ud=YYYYMMDD00NNNN -> pages/NNNN.html; list pages default to page 1 (digits only: no traversal).
    map $arg_ud $kh_ud_page {{
        "~^\\d{{10}}(?<kh_ud4>\\d{{4}})$" $kh_ud4;
        default "";
    }}
    map $arg_ct $kh_ct {{
        "~^(?<kh_ct12>\\d{{12}})$" $kh_ct12;
        default "";
    }}
    map $arg_np $kh_np {{
        "" 1;
        "~^(?<kh_np_n>[1-9]\\d{{0,6}})$" $kh_np_n;
        default "x";
    }}
    map $arg_page $kh_page {{
        "" 1;
        "~^(?<kh_page_n>[1-9]\\d{{0,6}})$" $kh_page_n;
        default "x";
    }}

    server {{
        listen 127.0.0.1:{port};
        root {root};

        location = /robots.txt {{
            types {{ }}
            default_type text/plain;
        }}
        location ~ ^/rss/(?<kh_feed>[A-Za-z0-9_]+)$ {{
            types {{ }}
            default_type application/rss+xml;
            try_files /rss/$kh_feed.xml =404;
        }}
        location /sitemaps/ {{
            types {{ }}
            default_type application/xml;
        }}
        location = /view.php {{
            if ($kh_ud_page = "") {{
                return 404;
            }}
            rewrite ^ /pages/$kh_ud_page.html last;
        }}
        location ~ "^/article/\\d{{4}}(?<kh_file>\\d{{4}})$" {{
            rewrite ^ /pages/$kh_file.html last;
        }}
        location /pages/ {{
            internal;
        }}
        location = /list.php {{
            if ($kh_ct = "") {{
                return 404;
            }}
            try_files /legacy/$kh_ct-$kh_np.html =404;
        }}
        location ~ ^/(?<kh_section>{sections})$ {{
            try_files /sections/$kh_section-$kh_page.html =404;
        }}
        location / {{
            return 404;
        }}
    }}
}}
"""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (bound to port 0, read, closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx in the foreground serving ``root``; a context manager (``start``/``stop`` also work)."""

    def __init__(self, root: Path, port: int | None = None, *, workers: int = 1, binary: str = NGINX) -> None:
        self.root = Path(root).resolve()
        self.port = port or free_port()
        self.workers = workers
        self.binary = binary
        self.tmp: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.exit_status: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, tmp: Path) -> str:
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read what the caller can read
        return CONFIG.format(workers=self.workers, user=user, tmp=tmp, port=self.port, root=self.root,
                             sections="|".join(SECTION_PATHS))

    def start(self, timeout: float = 10.0) -> Nginx:
        if not self.root.is_dir():
            raise FileNotFoundError(f"no mirror at {self.root}")
        self.tmp = Path(tempfile.mkdtemp(prefix="herald-nginx-"))
        conf = self.tmp / "nginx.conf"
        conf.write_text(self.config(self.tmp), "utf-8")
        with open(self.tmp / "stderr.log", "wb") as stderr:
            self.process = subprocess.Popen(
                [self.binary, "-p", str(self.tmp), "-c", str(conf), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                error = self._errors()
                self.stop()
                raise RuntimeError(f"nginx exited with status {self.exit_status}: {error}")
            if self._answers():
                return self
            if time.monotonic() > deadline:
                error = self._errors()
                self.stop()
                raise TimeoutError(f"nginx did not answer on {self.base_url} within {timeout} s: {error}")
            time.sleep(0.05)

    def _answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
        try:
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            connection.close()

    def _errors(self) -> str:
        parts = []
        for name in ("stderr.log", "error.log"):
            if self.tmp is not None and (self.tmp / name).exists():
                parts.append((self.tmp / name).read_text("utf-8", "replace"))
        return " | ".join(p.strip() for p in parts if p.strip())[-2000:]

    def stop(self, timeout: float = 5.0) -> None:
        """Graceful stop (SIGQUIT), then SIGKILL after ``timeout`` seconds; the temporary directory goes."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            self.exit_status = process.returncode
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
