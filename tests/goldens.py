"""Golden items of the mirror's article pages: loading them and comparing items against them.

Run ``python -m tests.goldens`` to print, for every mirror page, the fields where our parser disagrees
with the hand-written golden item.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

ARTICLES = Path(__file__).parent / "mirror" / "site" / "articles"
INDEPENDENT = Path(__file__).parent / "independent" / "articles"  # a second, independently written gold set
REAL_ROOT = "https://www.koreaherald.com"
DERIVED = ("word_count", "content_hash")
CRAWL_DECIDED = ("crawled_at", "discovered_via", "version", "duplicate_of")


def golden_paths() -> list[Path]:
    return sorted(ARTICLES.glob("*/*.json"))


def independent_paths() -> list[Path]:
    """Golden items of the independent set (``tests/independent/articles/<layout>/<id>.json``), as they are
    on disk now: only those with their ``.html`` page beside them."""
    return sorted(p for p in INDEPENDENT.glob("*/*.json") if page_of(p).is_file())


def all_golden_paths() -> list[Path]:
    """The mirror's golden items, then the independent set's."""
    return golden_paths() + independent_paths()


def page_of(golden_path: Path) -> Path:
    return golden_path.with_suffix(".html")


def load_golden(path: Path) -> dict[str, Any]:
    """The golden item with ``body`` joined and the derived fields computed from it."""
    golden = {k: v for k, v in json.loads(path.read_text("utf-8")).items() if not k.startswith("_")}
    golden["body"] = "\n\n".join(golden["body"])
    golden["word_count"] = len(golden["body"].split())
    golden["content_hash"] = hashlib.sha256(f"{golden['title']}\n\n{golden['body']}".encode()).hexdigest()
    return golden


def annotations(path: Path) -> dict[str, Any]:
    """The golden file's ``_cases`` and ``_boilerplate`` lists."""
    raw = json.loads(path.read_text("utf-8"))
    return {"cases": raw.get("_cases", []), "boilerplate": raw.get("_boilerplate", [])}


def differences(item: dict[str, Any], golden: dict[str, Any], base_url: str = REAL_ROOT) -> dict[str, tuple]:
    """Fields where ``item`` differs from ``golden`` (``url`` compared on the crawled base URL)."""
    expected = dict(golden)
    expected["url"] = golden["url"].replace(REAL_ROOT, base_url, 1)
    return {
        name: (item.get(name), value)
        for name, value in expected.items()
        if name not in CRAWL_DECIDED and item.get(name) != value
    }


def main() -> int:
    from herald_crawler.offline import article_from_html, item_pipelines

    pipelines = item_pipelines()
    bad = 0
    for path in golden_paths():
        golden = load_golden(path)
        try:
            item = asdict(article_from_html(golden["url"], page_of(path).read_bytes(), pipelines=pipelines))
        except Exception as exc:  # report every page, whatever goes wrong
            print(f"{path.relative_to(ARTICLES)}: {type(exc).__name__}: {exc}")
            bad += 1
            continue
        diff = differences(item, golden)
        if diff:
            bad += 1
            print(f"{path.relative_to(ARTICLES)}:")
            for name, (got, want) in diff.items():
                print(f"  {name}:\n    parser: {got!r}\n    golden: {want!r}")
    print(f"{len(golden_paths()) - bad} of {len(golden_paths())} pages match their golden item")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
