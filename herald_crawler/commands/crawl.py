"""``scrapy crawl herald``: Scrapy's crawl, plus argument checks up front and an honest exit status.

Exit status: 0 when the run succeeded and its file and manifest are published, 1 when it failed (nothing
published, state not advanced; reasons printed and logged: ``herald_crawler.publish``), 2 for a bad
argument or setting (the message names the value and what is accepted).
"""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ..arguments import parse_arguments
from ..extensions import RunState
from ..outcome import summary
from ..publish import finish_run
from ..spiders.archive import archive_arguments
from ..urls import Site

logger = logging.getLogger("herald_crawler")


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; for herald, exit non-zero when the run failed"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] not in ("herald", "herald_archive"):
            super().run(args, opts)
            return
        assert self.settings is not None and self.crawler_process is not None
        explicit = True
        try:
            if args[0] == "herald":
                site = Site(self.settings.get("HERALD_BASE_URL"))
                explicit = parse_arguments(opts.spargs, site, self.settings.get("HERALD_CHANNELS")).explicit
            else:
                archive_arguments(**opts.spargs)
        except ValueError as exc:  # both ArgumentErrors are ValueErrors
            raise UsageError(str(exc), print_help=False) from None

        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        state = crawler.get_extension(RunState) if crawler.stats is not None else None
        if self.crawler_process.bootstrap_failed or state is None:
            print("herald run FAILED: the crawl could not start (see the log)", file=sys.stderr)
            self.exitcode = 1
            return
        report = finish_run(state, explicit=explicit)
        logger.info("herald: %s", summary(crawler.stats.get_stats()))
        logger.info("herald ledger: %s", report.counts)
        if report.outcome != "ok":
            for reason in report.reasons:
                logger.error("herald run FAILED: %s", reason)
            print(f"herald run {report.run_id} FAILED (nothing published):\n  " + "\n  ".join(report.reasons),
                  file=sys.stderr)
            self.exitcode = 1
        else:
            logger.info("herald run %s succeeded: %s (%s)", report.run_id, report.output, report.manifest)
