"""``scrapy crawl herald``: Scrapy's crawl, plus argument checks up front and an honest exit status.

Exit status: 0 when the run succeeded, 1 when it failed (reasons logged; see ``herald_crawler.outcome``),
2 for a bad argument or setting (the message names the value and what is accepted).
"""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ..arguments import ArgumentError, parse_arguments
from ..outcome import DEFAULT_MAX_FAILED_RATIO, failure_reasons, summary
from ..urls import Site

logger = logging.getLogger("herald_crawler")


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; for herald, exit non-zero when the run failed"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] != "herald":
            super().run(args, opts)
            return
        assert self.settings is not None and self.crawler_process is not None
        try:
            site = Site(self.settings.get("HERALD_BASE_URL"))
            options = parse_arguments(opts.spargs, site, self.settings.get("HERALD_CHANNELS"))
        except (ArgumentError, ValueError) as exc:
            raise UsageError(str(exc), print_help=False) from None

        crawler = self._create_crawler("herald")
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = 1
            return
        stats = crawler.stats.get_stats()
        reasons = failure_reasons(
            stats,
            explicit=options.explicit,
            max_failed_ratio=self.settings.getfloat("HERALD_MAX_FAILED_RATIO", DEFAULT_MAX_FAILED_RATIO),
        )
        logger.info("herald: %s", summary(stats))
        if reasons:
            for reason in reasons:
                logger.error("herald run FAILED: %s", reason)
            print("herald run FAILED:\n  " + "\n  ".join(reasons), file=sys.stderr)
            self.exitcode = 1
        else:
            logger.info("herald run succeeded")
