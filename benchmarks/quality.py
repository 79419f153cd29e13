"""``make bench-quality``: our parsers against trafilatura and newspaper4k on the hand-written gold sets.

Two sets: the mirror's pages (written with the parsers) and the independent set (``tests/independent``:
pages rendered from the shared notes alone by hands that never saw the parsers, including pages of an
imagined redesign). Prints per set one table (per-field accuracy, body exact-paragraph precision/recall/F1,
body ROUGE-L F1, leakage) and writes them with the versions used to ``benchmarks/results/quality.md``, and
the figures to ``benchmarks/results/quality.json`` (the floors ``tests/test_quality.py`` holds us to).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import scrapy

from benchmarks.scoring import PageScore, failures, score_page, summarise
from herald_crawler import __version__
from herald_crawler.offline import article_from_html, item_pipelines
from tests.goldens import ARTICLES, INDEPENDENT, annotations, golden_paths, independent_paths, load_golden, page_of

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"
BENCH_PYTHON = PROJECT / ".venv-bench" / "bin" / "python"
COLUMNS = [
    ("title", "title"), ("subtitle", "subtitle"), ("authors", "authors"), ("agency", "agency"),
    ("published_at", "published_at"), ("published_day", "published (day)"), ("updated_at", "updated_at"),
    ("section", "section"), ("images", "image captions+credits"),
    ("body_precision", "body P"), ("body_recall", "body R"), ("body_f1", "body F1"), ("rouge_l", "ROUGE-L F1"),
    ("leakage_pages", "leakage (pages)"),
]


def ours(article) -> dict:
    """Our item in the scorer's terms."""
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": [a["name"] for a in article.authors],
        "agency": article.agency,
        "published_at": article.published_at,
        "published_day": (article.published_at or "")[:10] or None,
        "updated_at": article.updated_at,
        "section": article.section,
        "images": article.images,
        "body": article.body,
    }


def _name(path: Path) -> str:
    """A gold page's name in the tables: relative to its set's root."""
    for root in (ARTICLES, INDEPENDENT):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)


def score_ours(paths: list[Path]) -> list[PageScore]:
    pipelines = item_pipelines()
    scores = []
    for path in paths:
        golden = load_golden(path)
        try:
            predicted = ours(article_from_html(golden["url"], page_of(path).read_bytes(), pipelines=pipelines))
        except Exception as exc:  # noqa: BLE001 (a page we cannot read scores as an empty extraction)
            predicted = {"body": "", "error": repr(exc)}
        scores.append(score_page(_name(path), predicted, golden, annotations(path)["boilerplate"]))
    return scores


def score_generic(paths: list[Path]) -> tuple[dict[str, list[PageScore]], dict[str, str]]:
    if not BENCH_PYTHON.exists():
        raise SystemExit(f"{BENCH_PYTHON} is missing: run `make bench-quality`, which creates it")
    arguments = [f"{page_of(p)}={load_golden(p)['url']}" for p in paths]
    done = subprocess.run([str(BENCH_PYTHON), str(PROJECT / "benchmarks" / "generic.py"), *arguments],
                          capture_output=True, text=True, check=True, cwd=PROJECT)
    by_page = {str(page_of(p)): p for p in paths}
    scores: dict[str, list[PageScore]] = {}
    versions: dict[str, str] = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        path = by_page[row["page"]]
        versions[row["extractor"]] = row["version"]
        scores.setdefault(row["extractor"], []).append(
            score_page(_name(path), row["prediction"], load_golden(path),
                       annotations(path)["boilerplate"])
        )
    return scores, versions


def cell(summary: dict, key: str) -> str:
    if key not in summary:
        return "—"
    value = summary[key]
    if key == "leakage_pages":
        return f"{value} of {summary['pages']}"
    return f"{value:.3f}" if key in ("body_precision", "body_recall", "body_f1", "rouge_l") else f"{value:.1%}"


def table(summaries: dict[str, dict]) -> str:
    head = "| extractor | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "|---|" + "---|" * len(COLUMNS)
    rows = [f"| {name} | " + " | ".join(cell(s, key) for key, _ in COLUMNS) + " |" for name, s in summaries.items()]
    return "\n".join([head, rule, *rows])


def evaluate(paths: list[Path]) -> dict:
    """Every extractor on one gold set: summaries, ours by layout, our per-page scores, what each gets wrong."""
    mine = score_ours(paths)
    generic, versions = score_generic(paths)
    layouts = sorted({p.parent.name for p in paths}, key=lambda name: (name == "generic", name))
    return {
        "pages": len(paths),
        "summaries": {"herald_crawler": summarise(mine)} | {name: summarise(s) for name, s in generic.items()},
        "by_layout": {layout: summarise([s for s in mine if s.page.startswith(layout + "/")]) for layout in layouts},
        "mine": mine,
        "generic": generic,
        "versions": versions,
    }


def section(title: str, result: dict) -> list[str]:
    return [
        f"## {title} ({result['pages']} pages)",
        "",
        table(result["summaries"]),
        "",
        "### herald_crawler by layout",
        "",
        table({f"{layout} ({s['pages']} pages)": s for layout, s in result["by_layout"].items()}),
        "",
        "### Pages herald_crawler gets wrong",
        "",
        *([f"- {line}" for line in failures(result["mine"])] or ["- none"]),
        "",
        "### Pages the generic extractors get wrong (count)",
        "",
        *[f"- {name}: {len(failures(s))} of {len(s)}" for name, s in result["generic"].items()],
        "",
    ]


def main() -> int:
    mirror = evaluate(golden_paths())
    independent = evaluate(independent_paths())
    versions = {"herald_crawler": __version__, "scrapy": scrapy.__version__, **mirror["versions"],
                "python": platform.python_version()}
    text = "\n".join([
        f"# Extraction quality on the gold sets ({mirror['pages']} mirror pages, {independent['pages']} independent)",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `make bench-quality`; versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "Field columns: share of pages whose value equals the golden one (— : the extractor offers no such field;",
        "published (day) compares the date only, for extractors that give no time). Body: exact-paragraph",
        "precision/recall/F1 over all paragraphs, ROUGE-L F1 averaged over pages; leakage: pages whose body",
        "holds any boilerplate string listed for that page. The mirror's pages were written together with the",
        "parsers; the independent set (`tests/independent`) was rendered from the shared notes alone by hands",
        "that never saw them, `generic/` being pages of an imagined redesign no layout parser knows.",
        "",
        *section("The mirror's gold set", mirror),
        *section("The independent gold set", independent),
    ])
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quality.md").write_text(text, "utf-8")
    figures = {"pages": mirror["pages"], "versions": versions, "summaries": mirror["summaries"],
               "by_layout": mirror["by_layout"], "herald_crawler_pages": [asdict(s) for s in mirror["mine"]],
               "independent": {"pages": independent["pages"], "summaries": independent["summaries"],
                               "by_layout": independent["by_layout"]}}
    (RESULTS / "quality.json").write_text(json.dumps(figures, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
