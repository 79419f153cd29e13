"""``scrapy parse`` on the herald spider's article callback: how a user inspects one page's reading."""

import subprocess
import sys

from tests.crawls import PROJECT


def test_scrapy_parse_shows_what_the_article_callback_reads(mirror, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "parse", "--spider", "herald", "-c", "parse_article",
         "-s", f"HERALD_BASE_URL={mirror.base_url}", "-s", f"HERALD_STATE_PATH={tmp_path / 'state.sqlite'}",
         "-s", f"HERALD_OUTPUT_DIR={tmp_path / 'output'}", "-s", f"HERALD_ARCHIVE_DIR={tmp_path / 'archive'}",
         f"{mirror.base_url}/view.php?ud=20170302000712"],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Scraped Items" in done.stdout
    assert "'title': 'Won rebounds as exporters unload dollars at month start'" in done.stdout
    assert "'layout': '2017'" in done.stdout and "'sources':" in done.stdout
