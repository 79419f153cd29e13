"""Golden fixtures (``scrapy herald-fixture``): every saved page still gives the item its ``item.json`` holds,
and the command saves pages so that a field read wrong becomes a failing test."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from herald_crawler.fixtures import fixture_differences, fixture_dirs
from tests.crawls import PROJECT

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
SAVED = fixture_dirs(FIXTURES)


@pytest.mark.parametrize("directory", SAVED, ids=[str(d.relative_to(FIXTURES)) for d in SAVED])
def test_saved_page_gives_its_expected_item(directory):
    assert fixture_differences(directory) == {}


def test_there_are_fixtures_to_check():
    assert SAVED, f"no fixture directory under {FIXTURES}"


def _herald_fixture(mirror, out: Path, *urls: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "herald-fixture", "--out", str(out), "-s", f"HERALD_BASE_URL={mirror.base_url}",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING", *urls],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )


def test_a_saved_page_that_is_read_wrong_becomes_a_failing_test(mirror, tmp_path):
    done = _herald_fixture(mirror, tmp_path, f"{mirror.base_url}/view.php?ud=20170302000712",
                           f"{mirror.base_url}/article/10456893")
    assert done.returncode == 0, done.stdout + done.stderr
    (legacy, cms) = fixture_dirs(tmp_path)
    assert (legacy.relative_to(tmp_path), cms.relative_to(tmp_path)) == (Path("2017/20170302000712"), Path("cms/10456893"))
    meta = json.loads((cms / "input" / "response.json").read_text("utf-8"))
    assert meta["status"] == 200 and meta["url"] == f"{mirror.base_url}/article/10456893"
    assert any(k.lower() == "content-type" for k in meta["headers"])
    assert (cms / "input" / "body.html").read_bytes() == mirror.mirror.answer("/article/10456893", mirror.base_url).body
    expected = json.loads((cms / "output" / "item.json").read_text("utf-8"))
    assert expected["title"] == "Chip exports rebound in March on AI server demand"
    assert expected["body"][0].startswith("South Korea's semiconductor exports rose")
    assert expected["_extraction"]["layout"] == "cms"
    assert fixture_differences(cms) == {}
    # the user corrects a field the parser got wrong: the fixture now fails, naming it
    expected["subsection"] = "Semiconductors"
    (cms / "output" / "item.json").write_text(json.dumps(expected), "utf-8")
    assert fixture_differences(cms) == {"subsection": ("Industry", "Semiconductors")}


def test_what_cannot_be_saved_is_said_and_fails_the_command(mirror, tmp_path):
    done = _herald_fixture(mirror, tmp_path, f"{mirror.base_url}/article/99999999")
    assert done.returncode == 1
    assert "not saved" in done.stdout and "HTTP 404" in done.stdout
    bad = _herald_fixture(mirror, tmp_path, "https://example.com/story/1")
    assert bad.returncode == 2 and "'https://example.com/story/1' is not an article URL" in bad.stderr
