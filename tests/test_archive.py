"""The page archive: every fetched article page in WARC, and the dataset rebuilt from it offline."""

import json
import subprocess

from herald_crawler.archive import archive_files, read_archive
from tests.crawls import CRAWL_ENV, PROJECT, export_files
from tests.goldens import golden_paths, load_golden
from tests.mirror.server import Answer

GOLDEN_IDS = sorted(load_golden(p)["article_id"] for p in golden_paths())


def rebuild(archive, output, state, workers=0):
    command = [".venv/bin/python", "-m", "scrapy", "crawl", "herald_archive", "-a", f"archive={archive}",
               "-s", f"HERALD_OUTPUT_DIR={output}", "-s", f"HERALD_STATE_PATH={state}",
               "-s", f"HERALD_PARSE_WORKERS={workers}"]
    done = subprocess.run(command, cwd=PROJECT, env=CRAWL_ENV, capture_output=True, text=True, timeout=120)
    items = [json.loads(line) for path in export_files(output) for line in path.read_text("utf-8").splitlines()]
    return done.returncode, done.stdout + done.stderr, items


def test_every_fetched_article_page_is_archived_and_the_rebuild_equals_the_crawl(mirror, crawl, tmp_path):
    archive = tmp_path / "archive"
    result = crawl(mirror.base_url, settings={"HERALD_ARCHIVE_DIR": archive})
    assert result.returncode == 0, result.log[-2000:]
    files = archive_files([archive])
    assert [f.name.endswith("-00001.warc.gz") for f in files] == [True]
    pages = list(read_archive(files[0]))
    article_fetches = [r for r in mirror.requests if r.startswith(("/view.php", "/article/"))]
    assert len(pages) == len(article_fetches) - len(mirror.mirror.redirects)  # every 200 article answer
    assert all(p.body.startswith(b"<!DOCTYPE") or b"<html" in p.body[:300] for p in pages)

    code, log, items = rebuild(archive, tmp_path / "rebuilt", tmp_path / "rebuild.sqlite")
    assert code == 0, log[-2000:]
    crawled = {i["article_id"]: i for i in result.items}
    rebuilt = {i["article_id"]: i for i in items}
    assert sorted(rebuilt) == GOLDEN_IDS
    for article_id, item in crawled.items():
        differs = {k for k in item if item[k] != rebuilt[article_id][k]}
        assert differs <= {"crawled_at"}, (article_id, differs)


def test_the_archive_rotates_by_size(mirror, crawl, tmp_path):
    archive = tmp_path / "archive"
    result = crawl(mirror.base_url, settings={"HERALD_ARCHIVE_DIR": archive, "HERALD_ARCHIVE_MAX_BYTES": 50_000})
    assert result.returncode == 0
    files = archive_files([archive])
    assert len(files) > 3
    article_fetches = [r for r in mirror.requests if r.startswith(("/view.php", "/article/"))]
    assert sum(len(list(read_archive(f))) for f in files) == len(article_fetches) - len(mirror.mirror.redirects)


def test_rebuilding_two_runs_gives_each_content_once_with_versions(mirror, crawl, tmp_path):
    archive = tmp_path / "archive"
    assert crawl(mirror.base_url, settings={"HERALD_ARCHIVE_DIR": archive}).returncode == 0
    target = "/view.php?ud=20200826000789"
    page = mirror.mirror.answer(target, mirror.base_url).body.replace(b"Analysts expect", b"Most analysts expect")
    mirror.override(target, Answer(200, page))
    assert crawl(mirror.base_url, "-a", "refetch=all", settings={"HERALD_ARCHIVE_DIR": archive}).returncode == 0
    code, log, items = rebuild(archive, tmp_path / "rebuilt", tmp_path / "rebuild.sqlite")
    assert code == 0, log[-2000:]
    versions = sorted(i["version"] for i in items if i["article_id"] == "20200826000789")
    assert versions == [1, 2]
    assert len(items) == len(GOLDEN_IDS) + 1


def test_a_cut_off_archive_is_read_up_to_the_cut(tmp_path, mirror, crawl):
    archive = tmp_path / "archive"
    assert crawl(mirror.base_url, settings={"HERALD_ARCHIVE_DIR": archive}).returncode == 0
    (whole,) = archive_files([archive])
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    read = list(read_archive(cut))
    assert 0 < len(read) < len(list(read_archive(whole)))


def test_a_bad_archive_argument_is_a_clear_error(tmp_path):
    code, log, _ = rebuild(tmp_path / "missing", tmp_path / "out", tmp_path / "s.sqlite")
    assert code == 2 and "no such file or directory" in log


def test_a_rebuild_on_parse_workers_gives_the_same_items_in_the_same_order(mirror, crawl, tmp_path):
    archive = tmp_path / "archive"
    assert crawl(mirror.base_url, settings={"HERALD_ARCHIVE_DIR": archive}).returncode == 0
    code, log, here = rebuild(archive, tmp_path / "here", tmp_path / "here.sqlite")
    assert code == 0, log[-2000:]
    code, log, workers = rebuild(archive, tmp_path / "workers", tmp_path / "workers.sqlite", workers=2)
    assert code == 0, log[-2000:]
    assert len(workers) == len(GOLDEN_IDS)
    assert workers == here  # every field, crawled_at included (the archive's fetch times), in archive order
