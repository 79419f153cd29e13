"""End to end: ``scrapy crawl herald`` as a subprocess against the mirror on 127.0.0.1."""

import json
import re

import pytest

from herald_crawler.items import EXPORT_FIELDS
from tests.goldens import differences, golden_paths, load_golden
from tests.mirror.server import SITE as GOLDEN_SITE
from tests.mirror.server import Answer

GOLDEN = {load_golden(p)["article_id"]: load_golden(p) for p in golden_paths()}


def test_every_mirror_article_is_exported_once_exactly_as_its_golden(mirror, crawl):
    result = crawl(mirror.base_url)
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.files) == 1
    (path,) = result.files
    assert re.fullmatch(r"herald-\d{8}T\d{6}Z-[0-9a-f]{4}\.jsonl", path.name)
    assert not list(result.output_dir.glob(".*"))  # no temporary file left behind
    raw = path.read_bytes()
    raw.decode("utf-8")  # UTF-8, one JSON object a line
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "" and all(lines[:-1])
    items = [json.loads(line) for line in lines[:-1]]

    ids = [item["article_id"] for item in items]
    assert sorted(ids) == sorted(GOLDEN), "every mirror article, each exactly once"
    for item in items:
        assert list(item) == EXPORT_FIELDS
        assert differences(item, GOLDEN[item["article_id"]], mirror.base_url) == {}, item["article_id"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item["crawled_at"])
        assert item["discovered_via"] in ("feed", "section", "sitemap")
    assert {item["discovered_via"] for item in items} == {"feed", "section", "sitemap"}
    # each article id fetched once; a legacy id redirecting onto a cms id makes its target's second fetch
    article_fetches = [r for r in mirror.requests if r.startswith(("/view.php", "/article/"))]
    targets = set(mirror.mirror.redirects.values())
    assert all(article_fetches.count(r) == (1 + (r in targets)) for r in set(article_fetches))
    assert all(item["version"] == 1 for item in items)
    assert re.search(r"herald run \S+ succeeded", result.log)
    manifest = result.last_manifest
    assert manifest["items"] == len(items) and manifest["outcome"] == "ok"
    assert manifest["ledger"]["exported"] == len(items)


def test_korean_text_is_written_as_utf8_not_escaped(mirror, crawl):
    korean = [aid for aid, g in GOLDEN.items() if re.search(r"[\uac00-\ud7a3]", json.dumps(g, ensure_ascii=False))]
    if not korean:
        pytest.skip("no mirror page with Korean text in its item")
    result = crawl(mirror.base_url, "-a", f"urls={mirror.base_url}/{'view.php?ud=' if len(korean[0]) == 14 else 'article/'}{korean[0]}")
    text = result.files[0].read_text("utf-8")
    assert re.search(r"[\uac00-\ud7a3]", text) and "\\uac" not in text


def test_a_dead_channel_is_counted_not_fatal(mirror, crawl):
    for path in ("/rss/newsAll", "/robots.txt"):
        mirror.override(path, Answer(404, b"gone"))
    for feed in ("kh_National", "kh_Business", "kh_LifenCulture", "kh_LifeCulture", "kh_Kpop", "kh_Sports",
                 "kh_World", "kh_Opinion"):
        mirror.override(f"/rss/{feed}", Answer(404, b"gone"))
    mirror.override("/common/rss_xml.php", Answer(404, b"gone"))
    result = crawl(mirror.base_url, "-a", "channels=feed,section")
    assert result.returncode == 0, result.log[-3000:]
    assert "feed/gave_up=8" in result.log and "feed/ok" not in result.log.split("herald: requested")[-1]
    assert len(result.items) >= len([g for g in GOLDEN.values() if g["layout"] == "cms"])


def test_a_run_where_every_channel_fails_exits_non_zero(mirror, crawl):
    mirror.override("*", Answer(503, b"down"))
    result = crawl(mirror.base_url, settings={"RETRY_TIMES": 0})
    assert result.returncode == 1
    assert "no discovery channel answered" in result.log


def test_urls_fetch_exactly_the_given_articles(mirror, crawl, tmp_path):
    wanted = sorted(GOLDEN)[:2]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(GOLDEN[a]["url"].replace("https://www.", "http://m.") for a in wanted) + "\n")
    result = crawl(mirror.base_url, "-a", f"urls_file={listing}")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["article_id"] for i in result.items) == wanted
    assert {i["discovered_via"] for i in result.items} == {"urls"}
    assert not [r for r in mirror.requests if r.startswith(("/rss", "/list.php", "/National", "/sitemaps"))]


def test_each_run_writes_its_own_file(mirror, crawl, tmp_path):
    one = GOLDEN[sorted(GOLDEN)[0]]["url"]
    first = crawl(mirror.base_url, "-a", f"urls={one}", output_dir=tmp_path / "out")
    second = crawl(mirror.base_url, "-a", f"urls={one}", output_dir=tmp_path / "out")
    assert first.returncode == second.returncode == 0
    assert len(second.files) == 2
    assert all(len(p.read_text("utf-8").splitlines()) == 1 for p in second.files)


@pytest.mark.parametrize(
    "argument, message",
    [
        ("max_pages=many", "max_pages='many' is not accepted: expected a whole number of 1 or more"),
        ("sections=Politic", "unknown section 'Politic': accepted are National"),
        ("urls=https://example.com/a", "'https://example.com/a' is not a Korea Herald article URL"),
    ],
)
def test_a_bad_argument_stops_the_run_with_a_clear_error(mirror, crawl, argument, message):
    result = crawl(mirror.base_url, "-a", argument)
    assert result.returncode == 2
    assert message in result.log
    assert mirror.requests == []


def test_a_bad_base_url_is_refused(crawl):
    result = crawl("ftp://127.0.0.1:1")
    assert result.returncode == 2
    assert "HERALD_BASE_URL='ftp://127.0.0.1:1' is not an http(s) URL" in result.log


def test_legacy_feeds_and_lists_answer_when_the_current_forms_fail(mirror, crawl):
    from herald_crawler.sections import SECTIONS, find_sections

    for section in SECTIONS:
        mirror.override(section.list_paths[0], Answer(404, b"gone"))
        for feed in section.feeds[:-1]:
            mirror.override(feed, Answer(404, b"gone"))
    mirror.override("/rss/newsAll", Answer(404, b"gone"))
    result = crawl(mirror.base_url, "-a", "channels=feed,section")
    assert result.returncode == 0, result.log[-3000:]

    def listed(name):
        try:
            return bool(name and find_sections(name))
        except ValueError:
            return False

    legacy = {aid for aid, g in GOLDEN.items() if g["layout"] != "cms" and listed(g["section"])}
    assert legacy
    exported = {i["article_id"]: i for i in result.items}
    assert legacy <= set(exported)
    assert "/list.php?ct=020100000000&np=2" in mirror.requests  # the legacy pager is followed
    assert "/common/rss_xml.php?ct=102" in mirror.requests
    # the broken link form of the legacy feed still reaches its article
    broken = re.search(r"ud=/view\.php\?ud=(\d{14})", (GOLDEN_SITE / "rss" / "legacy-102.xml").read_text()).group(1)
    assert exported[broken]["discovered_via"] in ("feed", "section")


UNREADABLE_DATE = (
    GOLDEN_SITE / "articles" / "2017" / "20170302000712.html"
).read_bytes().replace(b"Published : Mar 2, 2017 - 17:20", b"Published : sometime on Thursday")
REDESIGN = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Seoul adds night buses - The Korea Herald</title>
<meta property="og:title" content="Seoul adds night buses"><meta name="author" content="Park Han-na"></head><body>
<div class="kh27-shell"><div class="kh27-story"><h1 class="kh27-hed">Seoul adds night buses</h1>
<div class="kh27-by">By Park Han-na</div><div class="kh27-when">Published 2027.03.02 09:15</div>
<div class="kh27-text"><p>The city will add 14 night bus routes from next month, officials said on Tuesday.</p>
<p>The new routes will run between midnight and 4 a.m. and connect the outer districts with the city center.</p>
<p>Fares will stay at 2,500 won, the city said.</p></div></div></div></body></html>"""


def test_a_field_that_cannot_be_read_or_a_page_in_no_known_layout_costs_no_article(mirror, crawl):
    """An unreadable date leaves the field null (the id's day stands in) with a warning; a page no layout
    parser knows is read by the generic extractor and published: both exported, counted, and said loudly."""
    mirror.override("/view.php?ud=20170302000712", Answer(200, UNREADABLE_DATE))
    mirror.override("/article/10812345", Answer(200, REDESIGN))
    result = crawl(mirror.base_url, "-a",
                   f"urls={mirror.base_url}/view.php?ud=20170302000712,{mirror.base_url}/article/10812345")
    assert result.returncode == 0, result.log[-3000:]
    items = {item["article_id"]: item for item in result.items}
    legacy, redesign = items["20170302000712"], items["10812345"]
    assert legacy["title"] == GOLDEN["20170302000712"]["title"] and legacy["body"] == GOLDEN["20170302000712"]["body"]
    assert legacy["published_at"] == "2017-03-02T00:00:00+09:00"
    assert legacy["extraction"]["sources"]["published_at"] == "url"
    assert any(w.startswith("published_at:") and "sometime on Thursday" in w for w in legacy["extraction"]["warnings"])
    assert (redesign["layout"], redesign["extraction"]["layout"]) == ("generic", "generic")
    assert redesign["title"] == "Seoul adds night buses" and redesign["published_at"] == "2027-03-02T09:15:00+09:00"
    assert redesign["body"].startswith("The city will add 14 night bus routes")
    assert redesign["authors"] == [{"name": "Park Han-na", "email": None}]
    manifest = result.last_manifest
    assert manifest["layouts"] == {"2017": 1, "generic": 1}
    assert manifest["extraction"]["warnings"]["published_at"] == 1
    assert manifest["extraction"]["pages_with_warnings"] == 1
    assert manifest["extraction"]["sources"]["body"] == {"dom": 1, "generic": 1}
    assert "THE SITE'S MARKUP CHANGED: 1 of 2 article pages" in result.log
    assert "read with warnings (2017 layout): published_at" in result.log
