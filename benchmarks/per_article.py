"""Per-article timing on the same saved pages, in two environments (printed as JSON):

``per_article.py ours DIR N`` (project venv): bare lxml parse + one XPath, and our parse + clean + validate
(the parser, then the Clean, Dates, Change and Validate pipelines, as a crawl runs them);
``per_article.py trafilatura DIR N`` (.venv-bench): trafilatura's ``extract`` with its defaults.
Each figure is the median, over N passes, of the mean milliseconds per page; ours and bare passes alternate
and their ratio is taken pass by pass (the machine's speed drifts).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def timed(pages: list[bytes], work, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        for page in pages:
            work(page)
        runs.append((time.perf_counter() - started) / len(pages) * 1000)
    return statistics.median(runs)


def ours(pages: list[bytes], repeats: int) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from lxml import etree

    from herald_crawler.offline import run_pipelines
    from herald_crawler.parsing import read_page
    from herald_crawler.pipelines import (
        ChangePipeline,
        CleanPipeline,
        DatesPipeline,
        ValidatePipeline,
    )

    parser = etree.HTMLParser(encoding="utf-8")
    title = etree.XPath("//title")
    chain = [CleanPipeline(), DatesPipeline(), ChangePipeline(), ValidatePipeline()]

    def bare(page: bytes) -> None:
        title(etree.fromstring(page, parser))

    def full(page: bytes) -> None:
        # What the crawl does with a fetched page: decode (charset checked), parse, then the pipelines.
        outcome = read_page("https://www.koreaherald.com/article/20000001", page, "text/html; charset=utf-8")
        item = outcome[1]
        item.crawled_at = "2026-11-28T00:00:00+00:00"
        run_pipelines(item, chain)  # the crawl's own chain minus dedup and near-dups (every page is "new")

    # Interleaved passes, so that the machine's drift touches both alike; the ratio is taken per pass.
    bare_runs, ours_runs = [], []
    for _ in range(repeats):
        bare_runs.append(timed(pages, bare, 1))
        ours_runs.append(timed(pages, full, 1))
    return {"pages": len(pages), "kb_mean": sum(map(len, pages)) / len(pages) / 1024,
            "bare_ms": statistics.median(bare_runs), "ours_ms": statistics.median(ours_runs),
            "ratio": statistics.median(o / b for o, b in zip(ours_runs, bare_runs))}


def generic(pages: list[bytes], repeats: int) -> dict:
    import trafilatura

    def extract(page: bytes) -> None:
        trafilatura.extract(page.decode("utf-8"), url="https://www.koreaherald.com/article/20000001")

    return {"trafilatura_ms": timed(pages, extract, repeats), "trafilatura_version": trafilatura.__version__}


def main(argv: list[str]) -> int:
    mode, directory, repeats = argv[0], Path(argv[1]), int(argv[2])
    pages = [p.read_bytes() for p in sorted((directory / "pages").glob("*.html"))]
    print(json.dumps(ours(pages, repeats) if mode == "ours" else generic(pages, repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
