"""``make bench``: speed and memory at scale, each figure a median over repeated runs and a ratio to a
reference measured in the same invocation.

1. parse + clean + validate per article, against bare lxml parsing of the same pages and against
   trafilatura's ``extract`` on the same pages;
2. ``scrapy crawl herald`` of a 10k-article synthetic mirror served by nginx, politeness off, in articles
   per second, against ``scrapy bench`` run in the same invocation;
3. peak RSS and its growth over a 100k-article crawl, sampled every second and plotted to a PNG;
4. a scheduled run over a state of 1 million known articles in which nothing changed: time and memory;
5. state store size per article;
6. rebuilding the dataset from the page archive, articles per second per core.

Results go to ``benchmarks/results/speed.md`` and ``speed.json``, the RSS samples and plot beside them.
Options: ``--quick`` (smaller sizes, for a smoke run), ``--only 1,2,...``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.nginx import Nginx, free_port
from tests.crawls import crawl_command

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"
PYTHON = PROJECT / ".venv" / "bin" / "python"
BENCH_PYTHON = PROJECT / ".venv-bench" / "bin" / "python"
FAST = {  # politeness off, for the benchmark only; pages parsed on one worker process (the other core)
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "INFO",
    "HERALD_PARSE_WORKERS": 1, "MEMUSAGE_ENABLED": True,
}


# -- 1. per article ----------------------------------------------------------------------------------------


def bench_parse(pages_dir: Path, repeats: int) -> dict[str, Any]:
    """Medians (ms per page) of bare lxml, ours (parse + clean + validate) and trafilatura on the same pages."""
    script = PROJECT / "benchmarks" / "per_article.py"
    ours = json.loads(subprocess.run([str(PYTHON), str(script), "ours", str(pages_dir), str(repeats)],
                                     capture_output=True, text=True, check=True, cwd=PROJECT).stdout)
    generic = json.loads(subprocess.run([str(BENCH_PYTHON), str(script), "trafilatura", str(pages_dir), str(repeats)],
                                        capture_output=True, text=True, check=True, cwd=PROJECT).stdout)
    return {**ours, **generic,
            "ours_vs_bare": ours["ratio"],
            "trafilatura_vs_ours": generic["trafilatura_ms"] / ours["ours_ms"]}


# -- crawls ---------------------------------------------------------------------------------------------------


def run_crawl(base_url: str, work: Path, *args: str, settings: dict[str, Any] | None = None,
              sample_rss: Path | None = None) -> dict[str, Any]:
    """``scrapy crawl herald`` against ``base_url``; its stats, wall time and (optionally) RSS samples."""
    command = crawl_command(base_url, work / "output", work / "state.sqlite", *args, settings={
        "HERALD_ARCHIVE_DIR": work / "archive", "LOGSTATS_INTERVAL": 10, **FAST, **(settings or {})})
    started = time.monotonic()
    log_path = work / f"crawl-{int(started)}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT)
        samples: list[tuple[float, int, int]] = []
        items = 0
        while process.poll() is None:
            rss = _rss(process.pid)
            if rss:
                items = max(items, _items_so_far(log_path))  # the last progress line seen so far
                samples.append((time.monotonic() - started, rss, items))
            time.sleep(0.25 if sample_rss is None else 1.0)
    wall = time.monotonic() - started
    text = log_path.read_text()
    stats = _stats(text)
    if sample_rss is not None:
        sample_rss.write_text(json.dumps(samples))
    # Peak memory of the crawl: the largest sample of the process tree (crawl and parse workers), or the
    # crawl's own high-water mark if a short spike fell between samples.
    peak = max([rss for _, rss, _ in samples] + [stats.get("herald/memory/peak_rss_mb", 0) * 2**20])
    return {"returncode": process.returncode, "wall_s": wall, "stats": stats, "samples": samples,
            "peak_rss_mb": peak / 2**20, "log": str(log_path)}


def _rss(pid: int) -> int | None:
    """Resident memory of the crawl and its worker processes (the whole process tree), in bytes."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _rss(int(child)) or 0
    except OSError:
        return total or None
    return total


_LOGSTATS = re.compile(r"scraped (\d+) items")


def _items_so_far(log_path: Path) -> int:
    """Items scraped by the last progress line in the log's tail (read without the whole log)."""
    with open(log_path, "rb") as log:
        log.seek(max(0, log.seek(0, 2) - 20000))
        found = _LOGSTATS.findall(log.read().decode("utf-8", "replace"))
    return int(found[-1]) if found else 0


def _stats(log: str) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    for key in ("item_scraped_count", "elapsed_time_seconds", "response_received_count",
                "herald/articles/fetched", "herald/archive/records", "herald/skipped/already_known",
                "herald/memory/peak_rss_mb"):
        found = re.findall(rf"'{re.escape(key)}': ([\d.]+)", log)
        if found:
            stats[key] = float(found[-1])
    return stats


def scrapy_bench(seconds: int) -> float:
    """Pages per second of ``scrapy bench`` (its own local server and spider), outside our project."""
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run([str(PROJECT / ".venv" / "bin" / "scrapy"), "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
                               "-s", "LOG_LEVEL=INFO"], cwd=empty, capture_output=True, text=True)
    stats = _stats(done.stdout + done.stderr)
    return stats["response_received_count"] / stats["elapsed_time_seconds"]


def scrapy_floor(site: Path) -> float:
    """Pages per second of Scrapy alone fetching the mirror's article pages (``floor_spider.py``)."""
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run([str(PROJECT / ".venv" / "bin" / "scrapy"), "runspider",
                               str(PROJECT / "benchmarks" / "floor_spider.py"), "-a", f"sitemaps={site / 'sitemaps'}"],
                              cwd=empty, capture_output=True, text=True)
    stats = _stats(done.stdout + done.stderr)
    return stats["item_scraped_count"] / stats["elapsed_time_seconds"]


# -- the benchmarks -------------------------------------------------------------------------------------------


def bench_crawl(work: Path, count: int, repeats: int, bench_seconds: int) -> dict[str, Any]:
    """Articles per second of a full crawl of a ``count``-article mirror, against ``scrapy bench``."""
    from benchmarks.synthetic import generate

    port = free_port()
    site = work / "site"
    facts = generate(site, count, base_url=f"http://127.0.0.1:{port}")
    (site / "facts.json").write_text(json.dumps({"base_url": facts["base_url"], "ids": facts["ids"]}))
    rates, bench_rates, floor_rates, runs = [], [], [], []
    with Nginx(site, port) as server:
        for attempt in range(repeats):
            run_dir = work / f"crawl-{attempt}"
            run_dir.mkdir()
            result = run_crawl(server.base_url, run_dir, "-a", "max_pages=100000")
            exported = result["stats"].get("item_scraped_count", 0)
            rates.append(exported / result["stats"]["elapsed_time_seconds"])
            runs.append({"exported": exported, "elapsed_s": result["stats"]["elapsed_time_seconds"],
                         "wall_s": result["wall_s"], "returncode": result["returncode"]})
            bench_rates.append(scrapy_bench(bench_seconds))
            floor_rates.append(scrapy_floor(site))
    last = work / f"crawl-{repeats - 1}"
    state = last / "state.sqlite"
    size = state.stat().st_size + sum(p.stat().st_size for p in last.glob("state.sqlite-*"))
    with sqlite3.connect(state) as db:
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return {
        "mirror_articles": count, "page_bytes_mean": facts["page_sizes"]["mean"],
        "runs": runs, "articles_per_s": statistics.median(rates), "scrapy_bench_pages_per_s": statistics.median(bench_rates),
        "ratio_to_scrapy_bench": statistics.median(rates) / statistics.median(bench_rates),
        "scrapy_alone_pages_per_s": statistics.median(floor_rates),
        "state_bytes": size, "state_articles": articles, "state_bytes_per_article": size / max(1, articles),
        "archive_dir": str(last / "archive"), "site": str(site),
    }


def bench_memory(work: Path, count: int, suffix: str = "") -> dict[str, Any]:
    """Peak RSS and its growth over a ``count``-article crawl (samples every second, plotted)."""
    from benchmarks.synthetic import generate

    port = free_port()
    site = work / "site-big"
    generate(site, count, base_url=f"http://127.0.0.1:{port}")
    run_dir = work / "memory"
    run_dir.mkdir()
    samples_path = RESULTS / f"rss-samples{suffix}.json"
    with Nginx(site, port) as server:
        result = run_crawl(server.base_url, run_dir, "-a", "max_pages=100000", sample_rss=samples_path)
    samples = result["samples"]
    exported = result["stats"].get("item_scraped_count", 0)
    warm = [s for s in samples if s[2] >= 0.2 * exported] or samples
    growth = growth_per_10k(samples, exported)
    plot = RESULTS / f"rss{suffix}.png"
    subprocess.run([str(BENCH_PYTHON), str(PROJECT / "benchmarks" / "plot_rss.py"), str(samples_path), str(plot)],
                   check=True, cwd=PROJECT)
    return {"articles": int(exported), "returncode": result["returncode"], "peak_rss_mb": result["peak_rss_mb"],
            "rss_after_warmup_mb": warm[0][1] / 2**20, "rss_at_end_mb": warm[-1][1] / 2**20,
            "growth_mb_per_10k_articles_after_warmup": growth / 2**20, "elapsed_s": result["stats"].get("elapsed_time_seconds"),
            "plot": str(plot.relative_to(PROJECT))}


def growth_per_10k(samples: list[tuple[float, int, int]], exported: float) -> float:
    """RSS growth in bytes per 10k articles after warm-up: the least-squares slope of RSS against articles
    exported, over the samples from 20% to 95% of the crawl (before the end-of-run teardown)."""
    window = [(items, rss) for _, rss, items in samples if 0.2 * exported <= items <= 0.95 * exported]
    if len({items for items, _ in window}) < 2:  # no spread of articles: no slope
        return 0.0
    items, rss = zip(*window)
    return statistics.linear_regression(items, rss).slope * 10_000


def build_known_state(path: Path, site_ids: list[str], total: int) -> None:
    """A state file that knows ``total`` articles (the mirror's first), all published long ago."""
    from herald_crawler.neardup import band_keys
    from herald_crawler.store import open_store

    open_store(path).close()
    rng = random.Random(7)
    with closing(sqlite3.connect(path)) as db:  # closed, so its WAL is checkpointed into the file copied later
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        ids = site_ids + [f"3{n:07d}" for n in range(total - len(site_ids))]
        for start in range(0, len(ids), 50_000):
            rows, bands = [], []
            for article_id in ids[start : start + 50_000]:
                signature = rng.randbytes(256)
                rows.append((article_id, "2020-01-01T00:00:00+00:00", "2020-01-01T00:00:00+00:00", "exported",
                             "0" * 64, signature, 1, "2020-01-01T09:00:00+09:00", None, "seed"))
                bands += [(band, key, article_id) for band, key in band_keys(signature)]
            db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            db.executemany("INSERT OR IGNORE INTO signature_bands VALUES (?,?,?)", bands)
            db.commit()


def bench_scheduled(work: Path, site: Path, known: int, repeats: int) -> dict[str, Any]:
    """A scheduled run over a state of ``known`` articles where nothing changed: wall time and peak RSS."""

    facts = json.loads((site / "facts.json").read_text())
    state_template = work / "known.sqlite"
    started = time.monotonic()
    build_known_state(state_template, facts["ids"], known)
    build_s = time.monotonic() - started
    size = state_template.stat().st_size
    port = int(facts["base_url"].rsplit(":", 1)[1])
    walls, peaks, skipped, exported, codes = [], [], [], [], []
    with Nginx(site, port) as server:
        for attempt in range(repeats):
            run_dir = work / f"scheduled-{attempt}"
            run_dir.mkdir()
            shutil.copyfile(state_template, run_dir / "state.sqlite")  # not through this process's memory
            result = run_crawl(server.base_url, run_dir)
            walls.append(result["wall_s"])
            peaks.append(result["peak_rss_mb"])  # not Scrapy's memusage/max: see extensions.peak_rss_bytes
            skipped.append(result["stats"].get("herald/skipped/already_known", 0))
            exported.append(result["stats"].get("item_scraped_count", 0))  # 0 when nothing changed, as meant
            codes.append(result["returncode"])
    return {"known_articles": known, "state_build_s": build_s, "state_bytes": size,
            "wall_s": statistics.median(walls), "peak_rss_mb": statistics.median(peaks), "skipped_already_known": statistics.median(skipped),
            "exported": max(exported), "returncode_ok": all(code == 0 for code in codes)}


def bench_rebuild(archive_dir: str, work: Path, repeats: int) -> dict[str, Any]:
    """Articles per second rebuilding the dataset from the 10k crawl's archive: in one process (one core), and
    with one parse worker beside it (both cores: the wall-clock rate a user sees here)."""
    rates, cpu_rates, codes, two_core = [], [], [], []
    for attempt in range(repeats):
        for workers in (0, 1):
            out = work / f"rebuild-{attempt}-{workers}"
            command = [str(PYTHON), "-m", "scrapy", "crawl", "herald_archive", "-a", f"archive={archive_dir}",
                       "-s", f"HERALD_OUTPUT_DIR={out}", "-s", f"HERALD_STATE_PATH={out / 'state.sqlite'}",
                       "-s", "LOG_LEVEL=INFO", "-s", f"HERALD_PARSE_WORKERS={workers}"]
            started, cpu_before = time.monotonic(), _children_cpu()
            done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
            wall, cpu = time.monotonic() - started, _children_cpu() - cpu_before
            stats = _stats(done.stdout + done.stderr)
            rate = stats.get("item_scraped_count", 0) / stats["elapsed_time_seconds"]
            if workers:
                two_core.append(rate)
            else:
                rates.append(rate)
                cpu_rates.append(stats.get("item_scraped_count", 0) / cpu)
            codes.append(done.returncode)
    return {"articles_per_s_per_core": statistics.median(rates), "articles_per_cpu_s": statistics.median(cpu_rates),
            "articles_per_s_with_one_parse_worker": statistics.median(two_core), "runs": len(rates),
            "last_wall_s": wall, "returncode_ok": all(code == 0 for code in codes)}


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="1,2,3,4,5,6")
    parser.add_argument("--work", default=None)
    options = parser.parse_args(argv)
    only = {int(x) for x in options.only.split(",")}
    sizes = {"e2e": 2000, "memory": 10_000, "known": 100_000, "repeats": 2, "bench_s": 10, "parse_pages": 100} \
        if options.quick else {"e2e": 10_000, "memory": 100_000, "known": 1_000_000, "repeats": 3, "bench_s": 20,
                               "parse_pages": 400}
    work = Path(options.work or tempfile.mkdtemp(prefix="herald-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                               "sizes": sizes}
    from benchmarks.synthetic import generate

    if 1 in only:
        pages = work / "pages-site"
        generate(pages, sizes["parse_pages"], base_url="http://127.0.0.1:1")
        results["per_article"] = bench_parse(pages, 5)
        print("1.", json.dumps(results["per_article"]), flush=True)
    if only & {2, 4, 5, 6}:  # 4, 5 and 6 use the 10k crawl's site, state and archive
        results["crawl"] = bench_crawl(work, sizes["e2e"], sizes["repeats"], sizes["bench_s"])
        results["state_per_article_bytes"] = results["crawl"]["state_bytes_per_article"]
        print("2.", json.dumps(results["crawl"]), flush=True)
    if 3 in only:
        results["memory"] = bench_memory(work, sizes["memory"], "-quick" if options.quick else "")
        print("3.", json.dumps(results["memory"]), flush=True)
    if 4 in only:
        results["scheduled"] = bench_scheduled(work, Path(results["crawl"]["site"]), sizes["known"], sizes["repeats"])
        print("4.", json.dumps(results["scheduled"]), flush=True)
    if 6 in only:
        results["rebuild"] = bench_rebuild(results["crawl"]["archive_dir"], work, sizes["repeats"])
        print("6.", json.dumps(results["rebuild"]), flush=True)
    for part in ("per_article", "crawl", "memory", "scheduled", "rebuild"):
        if part in results:
            results[part]["measured_at"] = results["when"]
    json_path = RESULTS / ("speed-quick.json" if options.quick else "speed.json")
    if only != {1, 2, 3, 4, 5, 6} and json_path.exists():  # a partial run updates the parts it measured
        results = {**json.loads(json_path.read_text()), **results}
    json_path.write_text(json.dumps(results, indent=1) + "\n")
    report = render(results)
    (RESULTS / ("speed-quick.md" if options.quick else "speed.md")).write_text(report)
    print(report)
    return 0


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render(r: dict[str, Any]) -> str:
    lines = [f"# Speed and memory ({r['when']}, {r['machine']})", "",
             "Each figure is a median over repeated runs, with its reference measured in the same invocation.", "",
             _row("#", "measure", "value", "reference", "ratio", "target"), "|---|---|---|---|---|---|"]
    if "per_article" in r:
        p = r["per_article"]
        lines.append(_row(1, f"parse + clean + validate, ms per article ({p['pages']} pages, {p['kb_mean']:.0f} KB mean)",
                          f"{p['ours_ms']:.2f}", f"bare lxml parse {p['bare_ms']:.2f}", f"{p['ours_vs_bare']:.2f}x",
                          "within 2x"))
        lines.append(_row(1, "... against trafilatura `extract`", f"{p['ours_ms']:.2f}",
                          f"trafilatura {p['trafilatura_ms']:.2f}", f"{p['trafilatura_vs_ours']:.1f}x faster",
                          "at least 10x faster"))
    if "crawl" in r:
        c = r["crawl"]
        bench = c["scrapy_bench_pages_per_s"]
        lines.append(_row(2, f"`scrapy crawl herald`, {c['mirror_articles']} articles, articles/s",
                          f"{c['articles_per_s']:.0f}", f"`scrapy bench` {bench:.0f} pages/s",
                          f"{c['ratio_to_scrapy_bench']:.2f}x", "at least 3x"))
        if "scrapy_alone_pages_per_s" in c:
            alone = c["scrapy_alone_pages_per_s"]
            lines.append(_row(2, "... Scrapy alone fetching the same mirror's article pages (no processing), pages/s",
                              f"{alone:.0f}", f"`scrapy bench` {bench:.0f} pages/s", f"{alone / bench:.2f}x",
                              "(the ceiling of any Scrapy crawl here)"))
    if "memory" in r:
        m = r["memory"]
        lines.append(_row(3, f"peak RSS over a {m['articles']}-article crawl, MB", f"{m['peak_rss_mb']:.0f}",
                          f"after warm-up {m['rss_after_warmup_mb']:.0f}, at the end {m['rss_at_end_mb']:.0f}",
                          f"growth {m['growth_mb_per_10k_articles_after_warmup']:.1f} MB per 10k articles",
                          "under 300 MB, flat"))
    if "scheduled" in r:
        s = r["scheduled"]
        lines.append(_row(4, f"no-change scheduled run over {s['known_articles']} known articles",
                          f"{s['wall_s']:.1f} s, {s['peak_rss_mb']:.0f} MB",
                          f"{s['skipped_already_known']:.0f} URLs skipped as known", "—", "under 60 s and 300 MB"))
    if "crawl" in r:
        c = r["crawl"]
        lines.append(_row(5, "state store size per article, bytes", f"{c['state_bytes_per_article']:.0f}",
                          f"{c['state_articles']} articles, {c['state_bytes'] / 2**20:.1f} MB", "—", "—"))
    if "rebuild" in r:
        b = r["rebuild"]
        one = b["articles_per_s_per_core"]
        per_cpu = f", {b['articles_per_cpu_s']:.0f} per CPU second" if "articles_per_cpu_s" in b else ""
        lines.append(_row(6, "rebuild from the archive, articles/s on one core", f"{one:.0f}{per_cpu}", "—", "—",
                          "at least 300"))
        if "articles_per_s_with_one_parse_worker" in b:
            two = b["articles_per_s_with_one_parse_worker"]
            lines.append(_row(6, "... with one parse worker beside it (`HERALD_PARSE_WORKERS=1`, both cores), articles/s",
                              f"{two:.0f}", f"one process {one:.0f}", f"{two / one:.2f}x", "—"))
    if "memory" in r:
        lines += ["", f"RSS over the crawl: ![RSS]({Path(r['memory']['plot']).name})"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
