"""Scrapy settings for herald_crawler; ``HERALD_*`` settings are the project's own (see README)."""

from herald_crawler import __version__
from herald_crawler.items import EXPORT_FIELDS

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
# Where each run's JSON Lines file goes (relative to the working directory).
HERALD_OUTPUT_DIR = "output"
# A run with more failed article requests than this share exits non-zero.
HERALD_MAX_FAILED_RATIO = 0.2

# -- politeness -------------------------------------------------------------------------------------
USER_AGENT = f"herald_crawler/{__version__} (news dataset crawler; Scrapy)"
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

# -- nothing listening on this machine ------------------------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# -- items ------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "herald_crawler.pipelines.CleanPipeline": 100,
    "herald_crawler.pipelines.DatesPipeline": 200,
    "herald_crawler.pipelines.ValidatePipeline": 300,
    "herald_crawler.pipelines.DedupPipeline": 400,
}
LOG_FORMATTER = "herald_crawler.logformat.HeraldLogFormatter"
LOG_LEVEL = "INFO"

# -- export: FEEDS is set by the spider from HERALD_OUTPUT_DIR unless -o/-O or FEEDS is given --------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = EXPORT_FIELDS
FEED_STORAGES = {
    "": "herald_crawler.storage.AtomicFileFeedStorage",
    "file": "herald_crawler.storage.AtomicFileFeedStorage",
}
