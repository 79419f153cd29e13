"""herald_crawler: a Scrapy crawler that turns The Korea Herald into a clean JSON Lines dataset."""

__version__ = "0.1.0"
