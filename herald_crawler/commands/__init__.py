"""Project commands: ``crawl`` replaces Scrapy's with one whose exit status says whether the run succeeded."""
