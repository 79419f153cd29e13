"""``scrapy herald-fixture URL...``: save article pages as golden fixtures (``herald_crawler.fixtures``).

Scrapy names a project command after its module, hence this module's name; the command lives in
``herald_crawler.fixtures``.
"""

from ..fixtures import FixtureCommand


class Command(FixtureCommand):
    pass
