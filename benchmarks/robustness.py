"""``make bench-robustness``: extraction on the markup-variation suite, per variation family.

Every gold page (``tests/mirror`` and ``tests/independent``) is rewritten by each family of
``tests/variations/families.py`` (the ways real CMS output varies); each variant's truth is derived from
the page's. herald_crawler reads each variant as a crawl does (``article_from_response``: bytes and
Content-Type); trafilatura and newspaper4k read it through ``benchmarks/generic.py`` in ``.venv-bench``,
as ``make bench-quality`` runs them, on the variants written to a temporary directory.

Writes ``benchmarks/results/robustness.md`` (tables per family, herald_crawler's per-field figures, its
most common failure kinds and worst variants) and ``benchmarks/results/robustness.json``.

Note: generic.py reads each page as UTF-8 text, so the generic extractors get the ``charset`` family's
variants already decoded (CP949 pages re-encoded as UTF-8): that family measures only herald_crawler's
decoding.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import scrapy

from benchmarks.scoring import FIELDS, score_page
from herald_crawler import __version__
from tests.variations import FAMILIES
from tests.variations.runner import (Result, evaluate, failure_kinds, family_summary, golden_of, worst)

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"
BENCH_PYTHON = PROJECT / ".venv-bench" / "bin" / "python"
CHUNK = 400
COLUMNS = [("pages", "variants"), ("exported", "exported"), ("fields", "fields"), ("body_f1", "body F1"),
           ("leakage_pages", "leaking")]


def run_generic(variants, workdir: Path) -> tuple[dict[str, list[Result]], dict[str, str]]:
    if not BENCH_PYTHON.exists():
        raise SystemExit(f"{BENCH_PYTHON} is missing: run `make bench-robustness`, which creates it")
    by_path = {}
    for i, v in enumerate(variants):
        path = workdir / f"{i:05d}.html"
        path.write_text(v.text(), "utf-8")
        by_path[str(path)] = v
    arguments = [f"{p}={v.truth['url']}" for p, v in by_path.items()]
    chunks = [arguments[k:k + CHUNK] for k in range(0, len(arguments), CHUNK)]

    def one(chunk):
        done = subprocess.run([str(BENCH_PYTHON), str(PROJECT / "benchmarks" / "generic.py"), *chunk],
                              capture_output=True, text=True, check=True, cwd=PROJECT)
        return done.stdout.splitlines()

    results: dict[str, list[Result]] = defaultdict(list)
    versions: dict[str, str] = {}
    with ThreadPoolExecutor(2) as pool:
        for lines in pool.map(one, chunks):
            for line in lines:
                row = json.loads(line)
                v = by_path[row["page"]]
                versions[row["extractor"]] = row["version"]
                prediction = row["prediction"]
                error = prediction.get("error") or (None if (prediction.get("body") or "").strip() else "empty body")
                score = score_page(v.id, prediction, golden_of(v.truth), v.boilerplate)
                results[row["extractor"]].append(Result(v, score, error, prediction))
    return results, versions


def cell(summary: dict, key: str) -> str:
    value = summary.get(key)
    if value is None:
        return "—"
    if key in ("pages", "exported", "leakage_pages"):
        return str(value)
    if key == "body_f1":
        return f"{value:.4f}"
    return f"{value:.2%}"


def family_table(summaries: dict[str, dict]) -> str:
    head = "| family | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "|---|" + "---|" * len(COLUMNS)
    rows = [f"| {family} | " + " | ".join(cell(summaries.get(family, {}), key) for key, _ in COLUMNS) + " |"
            for family in list(FAMILIES) + ["all"] if family in summaries]
    return "\n".join([head, rule, *rows])


def field_table(summaries: dict[str, dict]) -> str:
    head = "| family | " + " | ".join(FIELDS) + " |"
    rule = "|---|" + "---|" * len(FIELDS)
    rows = [f"| {family} | " + " | ".join(cell(s, name) if name in s else "—" for name in FIELDS) + " |"
            for family, s in summaries.items()]
    return "\n".join([head, rule, *rows])


def summaries_of(results: list[Result]) -> dict[str, dict]:
    by_family: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_family[r.variant.family].append(r)
    out = {family: family_summary(by_family[family]) for family in FAMILIES if by_family.get(family)}
    out["all"] = family_summary(results)
    return out


def main() -> int:
    outcomes = evaluate(("mirror", "independent"), workers=2, checks=False, keep=True)
    variants = [v for o in outcomes for v in o.variants]
    ours = [r for o in outcomes for r in o.results]
    not_applicable = [line for o in outcomes for line in o.not_applicable]
    errors = [line for o in outcomes for line in o.errors]
    with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
        generic, generic_versions = run_generic(variants, Path(tmp))
    per_extractor = {"herald_crawler": summaries_of(ours)} | {n: summaries_of(rs) for n, rs in generic.items()}
    pages = sorted({v.page for v in variants})
    versions = {"herald_crawler": __version__, "scrapy": scrapy.__version__, **generic_versions,
                "python": platform.python_version()}
    kinds = failure_kinds(ours)
    by_family: dict[str, list[Result]] = defaultdict(list)
    for r in ours:
        by_family[r.variant.family].append(r)
    na = Counter(line.split("|")[1].split(":")[0] for line in not_applicable)
    text = "\n".join([
        f"# Robustness to markup variation ({len(variants)} variants of {len(pages)} gold pages, "
        f"{len(FAMILIES)} families)",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `make bench-robustness`; versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "Each family (`tests/variations/families.py`) rewrites every gold page the ways real CMS output varies",
        "and derives each variant's truth from the page's. Columns: variants; exported (an item came out;",
        "for the generic extractors: a non-empty body); fields (share of right values over every field the",
        "extractor offers, pooled); body F1 (exact paragraphs, micro); leaking (variants whose body holds a",
        "boilerplate string). The generic extractors get the charset family's pages already decoded.",
        "",
        *[part for name, summaries in per_extractor.items()
          for part in (f"## {name}", "", family_table(summaries), "")],
        "## herald_crawler per field (share of variants right)",
        "",
        field_table(per_extractor["herald_crawler"]),
        "",
        "## herald_crawler: most common failure kinds",
        "",
        *([f"- {family}: {what}: {n}" for (family, what), n in kinds.most_common(25)] or ["- none"]),
        "",
        "## herald_crawler: worst variants per family",
        "",
        *[line for family in FAMILIES for line in
          ([f"### {family}", ""] + [f"- {w[:700]}" for w in worst(by_family[family], 8)] + [""]
           if any(True for _ in worst(by_family[family], 1)) else [])],
        "## Families not applicable to some pages",
        "",
        *([f"- {family}: {n} pages" for family, n in na.items()] or ["- none"]),
        *([f"- generator could not read: {e}" for e in errors]),
        "",
    ])
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "robustness.md").write_text(text, "utf-8")
    figures = {"variants": len(variants), "pages": len(pages), "versions": versions,
               "summaries": per_extractor,
               "failure_kinds": [{"family": f, "kind": k, "count": n} for (f, k), n in kinds.most_common()],
               "not_applicable": not_applicable, "generator_errors": errors,
               "herald_crawler_failures": [{"variant": r.variant.id, "error": r.error, "fields": {
                   k: v for k, v in r.score.fields.items() if not v}, "matched": r.score.matched,
                   "predicted": r.score.predicted, "expected": r.score.expected, "leaked": r.score.leaked}
                   for r in ours if r.error or not all(r.score.fields.values()) or r.score.leaked
                   or r.score.matched < max(r.score.predicted, r.score.expected)]}
    (RESULTS / "robustness.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
