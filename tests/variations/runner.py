"""Running variants through an extractor and scoring them with ``benchmarks/scoring.py``.

herald_crawler is run as a crawl reads a fetched page: ``article_from_response(url, bytes, content_type)``
(decode, parse, item pipelines), ``url`` the truth's ``url``. The item pipelines are built once per
variant kind (family + variant name): a crawl sees each URL once, and the de-duplication pipeline would
drop the second variant of the same article as a duplicate if all variants shared one set.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks import scoring
from benchmarks.quality import ours
from herald_crawler.cleaning import content_hash, word_count
from benchmarks.scoring import FIELDS, PageScore, score_page, summarise
from tests.variations.families import Variant

class _MemoRouge:
    """ROUGE-L with memoised results: most variants give a body already scored (same numbers, faster)."""

    def __init__(self, scorer):
        self.scorer = scorer
        self.memo: dict[tuple[str, str], dict] = {}

    def score(self, target: str, prediction: str):
        key = (target, prediction)
        if key not in self.memo:
            if len(self.memo) > 20000:
                self.memo.clear()
            self.memo[key] = self.scorer.score(target, prediction)
        return self.memo[key]


if not isinstance(scoring._SCORER, _MemoRouge):
    scoring._SCORER = _MemoRouge(scoring._SCORER)

SCORED = FIELDS  # title, subtitle, authors, agency, published_at, published_day, updated_at, section, images


def golden_of(truth: dict[str, Any]) -> dict[str, Any]:
    """A variant's truth in ``tests.goldens.load_golden`` form (body joined, derived fields)."""
    golden = dict(truth)
    golden["body"] = "\n\n".join(truth["body"])
    golden["word_count"] = word_count(golden["body"])
    golden["content_hash"] = content_hash(golden["title"] or "", golden["body"])
    return golden


@dataclass
class Result:
    variant: Variant
    score: PageScore
    error: str | None = None
    predicted: dict[str, Any] = field(default_factory=dict)

    @property
    def exported(self) -> bool:
        return self.error is None


class HeraldRunner:
    def __init__(self):
        from herald_crawler.offline import article_from_response, item_pipelines

        self._extract = article_from_response
        self._pipelines = item_pipelines
        self._slots: dict[tuple[str, str, str], list] = {}

    def pipelines(self, v: Variant) -> list:
        key = (v.page.split(":")[0], v.family, v.name)
        if key not in self._slots:
            self._slots[key] = self._pipelines()
        return self._slots[key]

    def run(self, v: Variant) -> Result:
        try:
            article = self._extract(v.truth["url"], v.body_bytes(), v.content_type, pipelines=self.pipelines(v))
            predicted, error = ours(article), None
        except Exception as exc:  # noqa: BLE001 (a page that gives no item scores as an empty extraction)
            predicted, error = {"body": ""}, f"{type(exc).__name__}: {exc}"
        return Result(v, score_page(v.id, predicted, golden_of(v.truth), v.boilerplate), error, predicted)


def run_herald(variants: list[Variant]) -> list[Result]:
    runner = HeraldRunner()
    return [runner.run(v) for v in variants]


def family_summary(results: list[Result]) -> dict[str, Any]:
    """Pages, exported, pooled field accuracy, per-field accuracy, body P/R/F1, leaking pages."""
    scores = [r.score for r in results]
    summary = summarise(scores) if scores else {"pages": 0}
    judged = [ok for s in scores for ok in s.fields.values()]
    summary["exported"] = sum(r.exported for r in results)
    summary["fields"] = sum(judged) / len(judged) if judged else None
    summary["field_judgements"] = len(judged)
    return summary


def field_diffs(r: Result) -> list[str]:
    from benchmarks.scoring import _same, expected_fields

    expected = expected_fields(golden_of(r.variant.truth))
    out = []
    for name in SCORED:
        if name in r.predicted and not _same(name, r.predicted[name], expected[name]):
            out.append(f"{name}: got {r.predicted[name]!r}, want {expected[name]!r}")
    return out


def body_diff(r: Result, limit: int = 160) -> list[str]:
    from benchmarks.scoring import paragraphs

    got = paragraphs(r.predicted.get("body"))
    want = paragraphs("\n\n".join(r.variant.truth["body"]))
    missing = [p for p in want if p not in got]
    extra = [p for p in got if p not in want]
    out = []
    if missing:
        out.append(f"body missing {len(missing)}: {missing[0][:limit]!r}")
    if extra:
        out.append(f"body extra {len(extra)}: {extra[0][:limit]!r}")
    return out


def describe(r: Result) -> str:
    parts = []
    if r.error:
        parts.append(f"no item: {r.error[:200]}")
    else:
        parts += field_diffs(r) + body_diff(r)
        if r.score.leaked:
            parts.append(f"leaked {r.score.leaked}")
    return f"{r.variant.id}: " + "; ".join(parts)


def badness(r: Result) -> tuple:
    s = r.score
    wrong = sum(not ok for ok in s.fields.values())
    body_miss = max(s.predicted, s.expected) - s.matched
    return (r.error is not None, wrong + body_miss + len(s.leaked), wrong)


def worst(results: list[Result], n: int = 12) -> list[str]:
    bad = [r for r in results if badness(r) != (False, 0, 0)]
    bad.sort(key=badness, reverse=True)
    return [describe(r) for r in bad[:n]]


def failure_kinds(results: list[Result]) -> Counter:
    """Counts of (family, what went wrong) over all results."""
    kinds: Counter = Counter()
    for r in results:
        fam = r.variant.family
        if r.error:
            kinds[(fam, "no item: " + r.error.split(":")[0])] += 1
            continue
        for name, ok in r.score.fields.items():
            if not ok:
                kinds[(fam, name)] += 1
        s = r.score
        if s.matched < s.expected:
            kinds[(fam, "body paragraphs missed")] += 1
        if s.predicted > s.matched:
            kinds[(fam, "body paragraphs extra")] += 1
        if s.leaked:
            kinds[(fam, "leakage")] += 1
    return kinds


# -- the whole suite, in worker processes --------------------------------------------------------------
@dataclass
class PageOutcome:
    page: str
    results: list[Result] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the generator could not analyse the page
    unchanged: list[str] = field(default_factory=list)  # variants identical to the page
    lost_paragraphs: list[str] = field(default_factory=list)  # a golden paragraph no longer in the variant
    nondeterministic: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)  # kept only when asked (the benchmark)


_STATE: dict[str, Any] = {}


def _init(sets: tuple[str, ...], families: list[str], checks: bool, keep: bool) -> None:
    from tests.variations.page import load_pages

    _STATE["pages"] = {p.key: p for p in load_pages(sets).pages}
    _STATE["families"] = families
    _STATE["checks"] = checks
    _STATE["keep"] = keep
    _STATE["runner"] = HeraldRunner()


def _page_job(key: str) -> PageOutcome:
    from tests.variations.families import NotApplicable, generate
    from tests.variations.page import PageModel

    page = _STATE["pages"][key]
    out = PageOutcome(key)
    check = _STATE["checks"]
    for name in _STATE["families"]:
        try:
            variants = generate(page, name)
        except NotApplicable as exc:
            out.not_applicable.append(f"{key}|{name}: {exc}")
            continue
        except (LookupError, ValueError) as exc:
            out.errors.append(f"{key}|{name}: {type(exc).__name__}: {exc}")
            continue
        if check:
            if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 3 == 0:  # a third of the pages, twice
                again = generate(page, name)
                if [(v.name, v.html, v.content_type, v.truth, v.boilerplate) for v in again] != [
                        (v.name, v.html, v.content_type, v.truth, v.boilerplate) for v in variants]:
                    out.nondeterministic.append(f"{key}|{name}")
            for v in variants:
                if v.html == page.html or (v.text() == page.html and isinstance(v.html, str)):
                    out.unchanged.append(v.id)
                try:
                    PageModel(v.text(), v.truth, v.layout).paras
                except LookupError as exc:
                    out.lost_paragraphs.append(f"{v.id}: {exc}")
        for v in variants:
            r = _STATE["runner"].run(v)
            if not _STATE["keep"]:
                v.html = b""  # the worker sends back the scores, not the pages
            out.results.append(r)
            if _STATE["keep"]:
                out.variants.append(v)
    return out


def evaluate(sets: tuple[str, ...] = ("mirror", "independent"), families: list[str] | None = None, *,
             workers: int = 2, checks: bool = True, keep: bool = False) -> list[PageOutcome]:
    """Generate every page's variants, check the generator, run herald_crawler: one outcome per page."""
    import multiprocessing

    from tests.variations.families import FAMILIES
    from tests.variations.page import load_pages

    families = families or list(FAMILIES)
    keys = [p.key for p in load_pages(sets).pages]
    if workers <= 1:
        _init(sets, families, checks, keep)
        return [_page_job(k) for k in keys]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init, initargs=(sets, families, checks, keep)) as pool:
        return list(pool.imap(_page_job, keys, chunksize=2))
