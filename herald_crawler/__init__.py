"""herald_crawler: a Scrapy crawler that turns The Korea Herald into a clean JSON Lines dataset."""

__version__ = "0.1.0"


def user_agent(contact: str) -> str:
    """The crawler's honest User-Agent, with the URL (or mailto:) where the site can reach who runs it."""
    return f"herald_crawler/{__version__} (+{contact}; news dataset crawler)"
