"""Run the generic extractors on the gold pages (inside .venv-bench): one JSON object a line on stdout.

Usage: ``.venv-bench/bin/python benchmarks/generic.py PAGE.html=URL ...``. Each line:
``{"page", "extractor", "version", "prediction": {fields they offer}}``. Both run with their defaults.
"""

from __future__ import annotations

import json
import sys
import warnings
from datetime import timedelta, timezone
from pathlib import Path

warnings.filterwarnings("ignore")

import newspaper  # noqa: E402
import trafilatura  # noqa: E402

KST = timezone(timedelta(hours=9))


def with_trafilatura(html: str, url: str) -> dict:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return {"body": ""}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    authors = [a.strip() for a in (data.get("author") or "").replace(" and ", ";").split(";") if a.strip()]
    categories = data.get("categories") or []
    return {
        "title": data.get("title"),
        "authors": authors,
        "published_day": data.get("date"),
        "section": categories[0] if categories else None,
        "body": "\n\n".join(line for line in (data.get("text") or "").split("\n") if line.strip()),
    }


def with_newspaper(html: str, url: str) -> dict:
    article = newspaper.Article(url, language="en", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    published = article.publish_date
    if published is not None and published.tzinfo is not None:
        published = published.astimezone(KST)
    return {
        "title": article.title,
        "authors": list(article.authors),
        "published_day": published.date().isoformat() if published else None,
        "body": article.text or "",
    }


def main(arguments: list[str]) -> int:
    for argument in arguments:
        path, url = argument.split("=", 1)
        html = Path(path).read_text("utf-8")
        for name, run, version in (
            ("trafilatura", with_trafilatura, trafilatura.__version__),
            ("newspaper4k", with_newspaper, newspaper.__version__),
        ):
            try:
                prediction = run(html, url)
            except Exception as exc:  # noqa: BLE001 (a crash on a page is scored as an empty extraction)
                prediction = {"body": "", "error": repr(exc)}
            print(json.dumps({"page": path, "extractor": name, "version": version, "prediction": prediction}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
