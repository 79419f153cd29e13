"""Article URLs of the Korea Herald: recognising them on every host, their ids, and the URLs we build.

Two id schemes exist: the legacy ``ud`` (``YYYYMMDD`` publication date + 6 digits, ``/view.php?ud=...``)
and the cms number (8 digits, ``/article/NNNNNNNN``). The id is the article's identity: hosts, schemes,
AMP paths and identity-free query parameters (``md``, ``kr``, ``nt``, ``mp``, ``np``, ``ACE_SEARCH``) are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

CANONICAL_ROOT = "https://www.koreaherald.com"
DEFAULT_BASE_URL = CANONICAL_ROOT

#: Every host the site has served articles on (shared notes, section 2).
SITE_HOSTS = frozenset(
    {
        "www.koreaherald.com",
        "koreaherald.com",
        "m.koreaherald.com",
        "www01.koreaherald.com",
        "nwww.koreaherald.com",
        "news.koreaherald.com",
        "khnews.kheraldm.com",
        "khnews.heraldcorp.com",
        "khview.heraldm.com",
    }
)

_UD = re.compile(r"(?<!\d)(\d{14})(?!\d)")
_CMS_PATH = re.compile(r"^(?:/amp)?/article/(\d{8})/?$")
_VIEW_PATH = re.compile(r"^(?:/amp)?/view\.php$", re.IGNORECASE)


def is_valid_ud(ud: str) -> bool:
    """True when ``ud`` is 14 digits whose first eight are a plausible publication date."""
    if len(ud) != 14 or not ud.isdigit():
        return False
    year, month, day = int(ud[:4]), int(ud[4:6]), int(ud[6:8])
    return 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def ud_date(ud: str) -> str:
    """The publication date a legacy id starts with, as ``YYYY-MM-DD``."""
    return f"{ud[:4]}-{ud[4:6]}-{ud[6:8]}"


def _id_from_parts(path: str, query: str) -> str | None:
    match = _CMS_PATH.match(path)
    if match:
        return match.group(1)
    if _VIEW_PATH.match(path):
        values = parse_qs(query, keep_blank_values=True).get("ud", [])
        for value in values:
            # Also the broken feed form "view.php?ud=/view.php?ud=20230814000600".
            found = _UD.findall(value)
            if len(found) == 1 and is_valid_ud(found[0]):
                return found[0]
    return None


@dataclass(frozen=True)
class Site:
    """The site as this run sees it: the base URL every built URL derives from, and the hosts it owns."""

    base_url: str = DEFAULT_BASE_URL

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"HERALD_BASE_URL={self.base_url!r} is not an http(s) URL with a host "
                "(expected e.g. https://www.koreaherald.com or http://127.0.0.1:8080)"
            )
        object.__setattr__(self, "base_url", f"{parts.scheme}://{parts.netloc}".rstrip("/"))

    @property
    def base_netloc(self) -> str:
        return urlsplit(self.base_url).netloc.lower()

    @property
    def base_host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts whose pages belong to the site: the base URL's host and every known site host."""
        return SITE_HOSTS | {self.base_host}

    def owns(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if parts.hostname == self.base_host:
            return parts.netloc.lower() == self.base_netloc or self.base_host in SITE_HOSTS
        return parts.hostname in SITE_HOSTS

    def fetchable(self, url: str) -> bool:
        """Whether the crawl may request ``url``: http(s) on the configured base host, or, when that is the
        site itself, on any of the site's hosts (a mirror's crawl never leaves the mirror)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if parts.netloc.lower() == self.base_netloc:
            return True
        return self.base_host in SITE_HOSTS and parts.hostname in SITE_HOSTS

    def article_id(self, url: str, base: str | None = None) -> str | None:
        """The article id of ``url`` (resolved against ``base``), or None if it is no article URL of the site."""
        absolute = urljoin(base, url.strip()) if base else url.strip()
        if not self.owns(absolute):
            return None
        parts = urlsplit(absolute)
        return _id_from_parts(parts.path, parts.query)

    def url(self, path: str) -> str:
        """A URL on this run's site root; ``path`` starts with ``/``."""
        return self.base_url + path

    def article_fetch_url(self, article_id: str) -> str:
        """Where this run fetches an article: the id's public path on the base URL."""
        return self.base_url + article_path(article_id)


def article_path(article_id: str) -> str:
    if len(article_id) == 14:
        return f"/view.php?ud={article_id}"
    return f"/article/{article_id}"


def canonical_url(article_id: str) -> str:
    """The public URL of an article on www.koreaherald.com, whatever host it was crawled from."""
    return CANONICAL_ROOT + article_path(article_id)


#: An archived copy's address: ``/web/20190726031522/http://www.koreaherald.com/view.php?ud=...`` (Wayback
#: Machine and its kin), the archived URL after the timestamp.
_ARCHIVED = re.compile(r"^(?:https?://[^/]+)?/web/\d{1,14}[a-z_]*/(?P<url>.+)$", re.IGNORECASE)


def path_article_id(url: str) -> str | None:
    """The article id in ``url``'s path and query, whatever its host: for URLs a page states about itself
    and links it holds (an archived copy's links to the archived article count too)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed address ("http://[broken/x"): no article of ours
        return None
    found = _id_from_parts(parts.path, parts.query)
    if found is None and "/web/" in url and (archived := _ARCHIVED.match(url)):
        return path_article_id(archived.group("url"))
    return found
