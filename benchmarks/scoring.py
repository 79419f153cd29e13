"""Scores of extracted articles against the hand-written gold set: fields, body paragraphs, ROUGE-L, leakage.

Pure functions over plain dicts, shared by ``make bench-quality`` and the quality floors in the test suite.
A prediction is a dict with any of: ``title``, ``subtitle``, ``authors`` (list of names), ``agency``,
``published_at``, ``published_day``, ``updated_at``, ``section``, ``images`` (list of {url, caption, credit}),
``body`` (paragraphs separated by blank lines). Fields an extractor does not offer are absent, and it is not
scored on them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rouge_score import rouge_scorer

FIELDS = ("title", "subtitle", "authors", "agency", "published_at", "published_day", "updated_at", "section",
          "images")
_SCORER = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def paragraphs(body: str | None) -> list[str]:
    return [p for p in (norm(part) for part in (body or "").replace("\r", "").split("\n")) if p]


def expected_fields(golden: dict[str, Any]) -> dict[str, Any]:
    """The gold item in the prediction's terms."""
    return {
        "title": norm(golden["title"]),
        "subtitle": norm(golden["subtitle"]) or None,
        "authors": sorted(norm(a["name"]) for a in golden["authors"]),
        "agency": golden["agency"],
        "published_at": golden["published_at"],
        "published_day": (golden["published_at"] or "")[:10] or None,
        "updated_at": golden["updated_at"],
        "section": golden["section"],
        "images": [{"url": i["url"], "caption": norm(i["caption"]) or None, "credit": i["credit"]}
                   for i in golden["images"]],
        "body": golden["body"],
    }


def _same(name: str, predicted: Any, expected: Any) -> bool:
    if name in ("title", "subtitle", "section", "agency"):
        return (norm(predicted) or None) == (norm(expected) or None)
    if name == "authors":
        return sorted(norm(a) for a in predicted or []) == expected
    if name == "images":
        got = [{"url": i.get("url"), "caption": norm(i.get("caption")) or None, "credit": i.get("credit")}
               for i in predicted or []]
        return got == expected
    return predicted == expected


@dataclass
class PageScore:
    page: str
    fields: dict[str, bool] = field(default_factory=dict)
    matched: int = 0  # body paragraphs found exactly
    predicted: int = 0
    expected: int = 0
    rouge_l: float = 0.0
    leaked: list[str] = field(default_factory=list)


def score_page(page: str, predicted: dict[str, Any], golden: dict[str, Any], boilerplate: list[str]) -> PageScore:
    expected = expected_fields(golden)
    score = PageScore(page)
    for name in FIELDS:
        if name in predicted:
            score.fields[name] = _same(name, predicted[name], expected[name])
    got, want = paragraphs(predicted.get("body")), paragraphs(expected["body"])
    score.matched = sum((Counter(got) & Counter(want)).values())
    score.predicted, score.expected = len(got), len(want)
    score.rouge_l = _SCORER.score("\n".join(want), "\n".join(got))["rougeL"].fmeasure if got else 0.0
    body = "\n".join(got)
    score.leaked = [s for s in boilerplate if s and norm(s) in body]
    return score


def summarise(scores: list[PageScore]) -> dict[str, Any]:
    """Per-field accuracy (share of pages right), body paragraph P/R/F1 (micro), mean ROUGE-L F1, leakage."""
    summary: dict[str, Any] = {"pages": len(scores)}
    for name in FIELDS:
        judged = [s.fields[name] for s in scores if name in s.fields]
        if judged:
            summary[name] = sum(judged) / len(judged)
    matched = sum(s.matched for s in scores)
    predicted = sum(s.predicted for s in scores)
    expected = sum(s.expected for s in scores)
    precision = matched / predicted if predicted else 0.0
    recall = matched / expected if expected else 0.0
    summary["body_precision"] = precision
    summary["body_recall"] = recall
    summary["body_f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    summary["rouge_l"] = sum(s.rouge_l for s in scores) / len(scores) if scores else 0.0
    summary["leakage_pages"] = sum(1 for s in scores if s.leaked)
    return summary


def failures(scores: list[PageScore]) -> list[str]:
    """One line per page and field that was wrong (body: paragraphs missed or extra), for the report."""
    lines = []
    for s in scores:
        wrong = [name for name, ok in s.fields.items() if not ok]
        if s.matched < max(s.predicted, s.expected):
            wrong.append(f"body ({s.matched}/{s.expected} paragraphs, {s.predicted} predicted)")
        if s.leaked:
            wrong.append(f"leaked {s.leaked}")
        if wrong:
            lines.append(f"{s.page}: {', '.join(wrong)}")
    return lines
