"""The mirror itself: its routes, and the integrity of its hand-written golden items."""

import html
import json
import re
import urllib.request

import pytest

from herald_crawler.urls import canonical_url, ud_date
from tests.goldens import ARTICLES, annotations, golden_paths, page_of
from tests.mirror.server import Mirror

GOLDENS = golden_paths()
IDS = [str(p.relative_to(ARTICLES)) for p in GOLDENS]


def squeezed(text):
    """Text without any whitespace: markup may break a line anywhere, so only the characters are compared."""
    return re.sub(r"\s+", "", text)


def page_text(path):
    return squeezed(html.unescape(re.sub(r"<[^>]+>", "", path.read_text("utf-8"))))


@pytest.mark.parametrize("path", GOLDENS, ids=IDS)
def test_golden_agrees_with_its_file_and_its_page(path):
    golden = json.loads(path.read_text("utf-8"))
    assert golden["article_id"] == path.stem
    assert golden["canonical_url"] == canonical_url(path.stem) == golden["url"]
    if len(path.stem) == 14:
        assert golden["published_at"].startswith(ud_date(path.stem))
    text = page_text(page_of(path))
    for paragraph in golden["body"]:
        assert squeezed(paragraph) in text, paragraph[:60]
    body = "\n\n".join(golden["body"])
    source = page_of(path).read_text("utf-8")
    for string in annotations(path)["boilerplate"]:
        assert squeezed(string) in text or string in source, string
        assert string not in body, string


def test_routes_of_every_url_form():
    mirror = Mirror()
    assert mirror.file_for("/robots.txt").name == "robots.txt"
    assert mirror.file_for("/rss/newsAll").name == "newsAll.xml"
    assert mirror.file_for("/common/rss_xml.php?ct=102").name == "legacy-102.xml"
    assert mirror.file_for("/view.php?ud=20200826000789&md=1").parent.name == "2017"
    assert mirror.file_for("/amp/view.php?ud=20200826000789").parent.name == "2017"
    assert mirror.file_for("/article/10456893").parent.name == "cms"
    assert mirror.file_for("/list.php?ct=020100000000&np=2").name == "020100000000-2.html"
    assert mirror.file_for("/National?page=2").name == "National-2.html"
    assert mirror.file_for("/view.php?ud=20990101000001") is None


def test_the_server_rewrites_the_site_root_and_redirects(mirror):
    with urllib.request.urlopen(f"{mirror.base_url}/rss/newsAll") as answer:
        body = answer.read().decode()
    assert "www.koreaherald.com" not in body and mirror.base_url in body
    source, target = next(iter(mirror.mirror.redirects.items()))
    with urllib.request.urlopen(f"{mirror.base_url}{source}") as answer:
        assert answer.url == mirror.base_url + target
    assert mirror.requests == ["/rss/newsAll", source, target]
