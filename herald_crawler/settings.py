"""Scrapy settings for herald_crawler; ``HERALD_*`` settings are the project's own (see README)."""

from herald_crawler import user_agent
from herald_crawler.items import EXPORT_FIELDS, REQUIRED_FIELDS

BOT_NAME = "herald_crawler"
SPIDER_MODULES = ["herald_crawler.spiders"]
NEWSPIDER_MODULE = "herald_crawler.spiders"
# Our `crawl` command: checks arguments before starting and exits non-zero when the run failed.
COMMANDS_MODULE = "herald_crawler.commands"

# -- the project's own settings ---------------------------------------------------------------------
# Site root every URL is built from; point it at a mirror (http://127.0.0.1:PORT) to crawl that instead.
HERALD_BASE_URL = "https://www.koreaherald.com"
# Discovery channels on by default (the spider argument `channels` overrides).
HERALD_CHANNELS = "feed,section,sitemap"
# Where each run's JSON Lines file and manifest go (relative to the working directory).
HERALD_OUTPUT_DIR = "output"
# Write herald-<run id>.jsonl.gz instead of .jsonl.
HERALD_OUTPUT_GZIP = False
# State across runs (articles seen, runs, URLs owed): one SQLite file, locked while a run uses it.
HERALD_STATE_PATH = "state/herald.sqlite"
# Known articles published within this many days are re-fetched each run to catch updates...
HERALD_REFETCH_DAYS = 3
# ... unless fetched less than this many hours ago (0: every run). Raise it for frequent schedules.
HERALD_REFETCH_MIN_HOURS = 0
# A URL that failed this many runs in a row is no longer retried (it stays recorded as failed).
HERALD_MAX_ATTEMPTS = 3
# A run with more failed article requests than this share exits non-zero.
HERALD_MAX_FAILED_RATIO = 0.2
# A run where at least this share of responses (and 5 or more) are 403/429 is blocked: it fails.
HERALD_BLOCK_RATIO = 0.5
# Monitor limits: 403/429 and 5xx shares of responses.
HERALD_MAX_REFUSED_RATIO = 0.05
HERALD_MAX_5XX_RATIO = 0.1
# Pages no layout parser recognises are read by the generic extractor and published (layout "generic"); the
# run fails when more than this share of its article pages needed it (a redesign: see the README).
HERALD_MAX_GENERIC_RATIO = 0.5
# Each field of HERALD_REQUIRED_FIELDS must be on at least this share of exported items.
HERALD_MIN_FIELD_COVERAGE = 0.95
# A share (coverage, generic pages) is judged only once at least this many items fall short of it.
HERALD_MONITOR_MIN_COUNT = 3

# Every fetched article page is kept in WARC files here (one file per run, a new one past the size);
# `scrapy crawl herald_archive -a archive=archive/` rebuilds the dataset from them.
HERALD_ARCHIVE_ENABLED = True
HERALD_ARCHIVE_DIR = "archive"
HERALD_ARCHIVE_MAX_BYTES = 1024 * 1024 * 1024

# Parse article pages on this many worker processes (0: in the crawl's own process). Worth it only when
# the crawl is CPU-bound: rebuilding from the archive, or a mirror; a polite crawl of the site is not.
HERALD_PARSE_WORKERS = 0

# -- politeness -------------------------------------------------------------------------------------
# An honest User-Agent with a contact URL; set HERALD_CONTACT to your own (a URL or mailto:) when you run it.
HERALD_CONTACT = "https://github.com/herald-crawler/herald_crawler"
USER_AGENT = user_agent(HERALD_CONTACT)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
# Failed requests are counted and judged by the run's outcome, not logged as errors one by one.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
# 429/503: wait what Retry-After asks (at most this many seconds), or 2, 4, 8... s without it; per host.
HERALD_RETRY_AFTER_MAX = 120
HERALD_BACKOFF_BASE = 2.0
# Stop the run when HERALD_BLOCK_RATIO of the last HERALD_BLOCK_WINDOW responses (at least
# HERALD_BLOCK_MIN) were 403/429: the site is blocking us.
HERALD_BLOCK_WINDOW = 20
HERALD_BLOCK_MIN = 10
DOWNLOADER_MIDDLEWARES = {
    "herald_crawler.middlewares.SiteOnlyMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "herald_crawler.middlewares.PostponingRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "herald_crawler.middlewares.BackoffRetryMiddleware": 550,
    "herald_crawler.middlewares.BlockMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "herald_crawler.middlewares.QuickMetaRefreshMiddleware": 579,  # where Scrapy's ran: before BlockMiddleware
}
# Only http(s): no file:, data:, ftp: or s3: URL is ever fetched, whatever an argument or redirect says.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

# -- nothing listening on this machine ------------------------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# -- items ------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "herald_crawler.pipelines.CleanPipeline": 100,
    "herald_crawler.pipelines.WindowPipeline": 250,
    "herald_crawler.pipelines.DedupPipeline": 300,
    "herald_crawler.pipelines.ChangePipeline": 400,
    "herald_crawler.pipelines.NearDuplicatePipeline": 500,
    "herald_crawler.pipelines.ValidatePipeline": 600,
    "herald_crawler.pipelines.RecordPipeline": 700,
}
EXTENSIONS = {
    "herald_crawler.extensions.RunState": 10,
    "herald_crawler.archive.WarcArchive": 20,
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
}

# -- monitors (spidermon) -----------------------------------------------------------------------------
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("herald_crawler.monitors.RunMonitors",)
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished", "closespider_timeout", "closespider_itemcount", "closespider_pagecount"]
# Field coverage is counted by RecordPipeline (herald/coverage/<field>) for the fields that must be on every
# item: spidermon's own counting walks every field of every item, ~0.5 ms an item.
HERALD_REQUIRED_FIELDS = REQUIRED_FIELDS
# Scrapy starts this many asyncio workers for each callback's output; an article page yields one item, a
# list page some requests: 4 is plenty, and Scrapy's 100 cost ~1 ms per response in task set-up alone.
CONCURRENT_ITEMS = 4
LOG_FORMATTER = "herald_crawler.logformat.HeraldLogFormatter"
LOG_LEVEL = "INFO"

# -- export: FEEDS is set by the spider from HERALD_OUTPUT_DIR unless -o/-O or FEEDS is given --------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = EXPORT_FIELDS
FEED_EXPORTERS = {"jsonlines": "herald_crawler.exporters.JsonLinesExporter"}
FEED_URI_PARAMS = "herald_crawler.storage.uri_params"
FEED_STORAGES = {
    "": "herald_crawler.storage.AtomicFileFeedStorage",
    "file": "herald_crawler.storage.AtomicFileFeedStorage",
}
