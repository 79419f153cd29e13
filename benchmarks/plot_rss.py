"""Plot the RSS samples of the large crawl (in .venv-bench, which has matplotlib): ``plot_rss.py SAMPLES PNG``."""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(samples_path: str, png: str) -> int:
    samples = json.load(open(samples_path))
    seconds = [s[0] for s in samples]
    rss = [s[1] / 2**20 for s in samples]
    items = [s[2] for s in samples]
    figure, left = plt.subplots(figsize=(9, 4.5), dpi=110)
    left.plot(seconds, rss, color="tab:blue", label="RSS (MB)")
    left.set_xlabel("seconds since start")
    left.set_ylabel("RSS (MB)", color="tab:blue")
    left.axhline(300, color="tab:red", linestyle="--", linewidth=0.8, label="300 MB target")
    left.set_ylim(0, max(320, max(rss) * 1.1))
    right = left.twinx()
    right.plot(seconds, items, color="tab:gray", linewidth=0.8, label="articles exported")
    right.set_ylabel("articles exported", color="tab:gray")
    left.set_title(f"herald crawl of {max(items) if items else 0} articles: resident memory")
    left.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
