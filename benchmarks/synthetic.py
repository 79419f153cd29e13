"""Synthetic mirrors of the Korea Herald of any size, for performance benchmarks.

``generate(root, count)`` writes ``count`` articles: ``min(count, distinct)`` page files built from the real
mirror's pages (``tests/mirror/site/articles/<layout>/``) used as templates, with invented text, bylines,
dates and photos, padded with realistic site weight (60-150 KB a page); plus robots.txt, sitemaps, RSS feeds
and current and legacy section lists. Article ``k`` is served by page file ``k % 10000``; its URL is unique
up to 1,000,000 articles. ``benchmarks.nginx.Nginx`` serves the result. Everything is deterministic in
``(count, seed)``: the same call writes the same bytes.
"""

from __future__ import annotations

import hashlib
import heapq
import html
import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from herald_crawler import sections as site_sections

MIRROR_ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "mirror" / "site" / "articles"
BASE_PLACEHOLDER = "__BASE__"
MAX_COUNT = 1_000_000
FILES_MAX = 10_000
SITEMAP_MAX_URLS = 50_000
LIST_PAGE_SIZE = 20
FEED_ALL_SIZE = 50
FEED_SECTION_SIZE = 20
PAGE_BYTES = (62_000, 148_000)  # inside 60-150 KB whether a KB is 1,000 or 1,024 bytes

#: Article k's layout, by its last digit: 40% cms, 20% each of 2023, 2017 and 2012.
LAYOUT_BY_DIGIT = ("cms", "cms", "cms", "cms", "2023", "2023", "2017", "2017", "2012", "2012")
LAYOUTS = ("cms", "2023", "2017", "2012")
#: Publication days of each layout's era (both included).
ERAS: dict[str, tuple[date, date]] = {
    "2012": (date(2012, 9, 1), date(2016, 12, 31)),
    "2017": (date(2017, 1, 1), date(2023, 8, 13)),
    "2023": (date(2023, 8, 14), date(2024, 12, 18)),
    "cms": (date(2024, 12, 31), date(2026, 10, 31)),
}


@dataclass(frozen=True)
class Section:
    name: str  # as the site names it (breadcrumbs, JSON-LD)
    path: str  # current list page: /<path>
    ct: str  # legacy list code: /list.php?ct=<ct>
    feed: str  # current feed: /rss/<feed>


#: The seven sections, from ``herald_crawler/sections.py`` (its current list path, legacy code, current feed).
SECTIONS: tuple[Section, ...] = tuple(
    Section(s.name, s.list_paths[0].lstrip("/"), s.list_paths[1].split("ct=", 1)[1], s.feeds[0].rsplit("/", 1)[1])
    for s in site_sections.SECTIONS
)
_SECTION_BY_NAME = {s.name: s for s in SECTIONS}


def section_named(name: str) -> Section:
    """The section a page names (aliases such as ``Life & Style`` included), as the crawler reads it."""
    return _SECTION_BY_NAME[site_sections.find_sections(name)[0].name]


# -- ids, URLs, dates ---------------------------------------------------------------------------------


def layout_of(k: int) -> str:
    return LAYOUT_BY_DIGIT[k % 10]


def _day_and_minute(k: int) -> tuple[date, int]:
    """Publication day and minute of the day (Korea time) of article ``k``; distinct days for the
    copies ``k + 10000 * j`` of one page file, so legacy ids stay unique."""
    m, j = k % FILES_MAX, k // FILES_MAX
    start, end = ERAS[layout_of(m)]
    days = (end - start).days + 1
    day = start + timedelta(days=(m * days // FILES_MAX + j) % days)
    minute = 5 * 60 + (m * 7919 + j * 37) % (18 * 60)  # 05:00 to 22:59
    return day, minute


def published(k: int) -> datetime:
    day, minute = _day_and_minute(k)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60)


def _sort_key(k: int) -> int:
    day, minute = _day_and_minute(k)
    return day.toordinal() * 1440 + minute


def article_id(k: int) -> str:
    m = k % FILES_MAX
    if layout_of(m) == "cms":
        return f"2{(k // FILES_MAX) % 1000:03d}{m:04d}"
    return f"{_day_and_minute(k)[0]:%Y%m%d}00{m:04d}"


def article_path(k: int) -> str:
    """Article ``k``'s URL path as served (root-relative)."""
    ident = article_id(k)
    return f"/article/{ident}" if len(ident) == 8 else f"/view.php?ud={ident}"


# -- deterministic choices ------------------------------------------------------------------------------


def _mix(value: int) -> int:
    """splitmix64: a well-spread 64-bit hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 31)


# -- vocabulary: every sentence is assembled from these fragments ------------------------------------------

SURNAMES = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
            "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong", "Jeon", "Ko", "Moon", "Yang", "Bae", "Baek", "Nam", "Noh")
SYLLABLES = ("Ji", "Min", "Seo", "Hyun", "Jae", "Soo", "Young", "Eun", "Ha", "Do", "Yeon", "Woo", "Jin", "Hye",
             "Sung", "Na", "Ra", "Bin", "Hoon", "Kyung", "Won", "Yun", "Hee", "Jun", "Ah", "Rin", "Seok", "Gyu")

PLACES = ("in Seoul", "in Busan", "in Incheon", "in Daegu", "in Gwangju", "in Daejeon", "in Ulsan", "in Sejong",
          "on Jeju Island", "in Gyeonggi Province", "in South Chungcheong Province", "in North Gyeongsang Province",
          "across the country", "in the capital region", "in Gangwon Province", "in South Jeolla Province")
TIMES = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend", "this week",
         "earlier this month", "last week", "on Sunday", "on Saturday")
FUTURE = ("by the end of the year", "from next month", "in the first half of next year", "within three years",
          "before the summer holidays", "by 2030", "from January", "over the next five years", "later this year")
REASONS = ("citing rising costs", "amid growing public concern", "after months of debate",
           "following a string of complaints", "as demand continues to climb", "in response to the latest data",
           "to ease the burden on households", "under pressure from local governments",
           "in a bid to stay competitive", "despite objections from industry groups")
ROLES = ("a researcher at the Korea Development Institute", "a professor of economics at Yonsei University",
         "an official at the ministry", "a spokesperson for the city", "a senior analyst at a local brokerage",
         "the head of a civic group", "a lawmaker on the committee", "a policy adviser to the government",
         "a professor of sociology at Korea University", "an industry official who asked not to be named",
         "a senior fellow at the Asan Institute for Policy Studies", "the chair of the residents' association")
QUOTES = ("We will keep listening to people on the ground and adjust the plan where it falls short",
          "The numbers tell us the problem is not going away on its own",
          "This is a first step, not the last, and we know there is a lot more to do",
          "Families have been asking for this for years, and it is good to see it finally move",
          "The timing is tight, but the direction is right",
          "Without a clear budget, the plan risks remaining a promise on paper",
          "Nobody expected the change to come this quickly",
          "We need to look at the long-term costs before rushing ahead",
          "Younger people are the ones who will live with the outcome, so their voices must be heard",
          "It is too early to call it a turning point, but the signs are encouraging",
          "Our members are ready to cooperate as long as the rules are applied fairly",
          "The market has already priced in much of the news",
          "We have been preparing for this moment for a long time",
          "The key question is whether the measures can be carried out on schedule")
CLAIMS = ("the measures do too little for low-income households", "the plan leaves key questions unanswered",
          "the timeline is unrealistic given current staffing", "the budget should be spent on other priorities",
          "similar steps have failed in the past", "the rules will be hard to enforce in smaller cities",
          "the change could widen the gap between regions", "more consultation is needed before any decision")
CONNECTORS = ("Meanwhile,", "Separately,", "Under the plan,", "According to the data,", "In addition,",
              "At the same time,", "Earlier,", "By comparison,", "As a result,", "For now,")
UNITS = (("billion won", 10, 900), ("trillion won", 1, 60), ("people", 1200, 98000), ("cases", 30, 4800),
         ("units", 500, 45000), ("visitors", 2000, 350000), ("companies", 20, 3200), ("schools", 12, 900))
STAT_SUBJECTS = ("The number", "The total", "The figure", "Spending on the program", "The count",
                 "The share of applicants", "The volume", "The amount")

#: Per section: (headline subject, body subject) pairs and (headline topic, body topic) pairs.
ACTORS: dict[str, tuple[tuple[str, str], ...]] = {
    "National": (("Seoul", "The Seoul Metropolitan Government"), ("Gov't", "The government"),
                 ("Ruling party", "The ruling party"), ("Opposition", "The main opposition party"),
                 ("Police agency", "The National Police Agency"), ("Education Ministry", "The Education Ministry"),
                 ("Military", "The Defense Ministry"), ("Unification Ministry", "The Unification Ministry"),
                 ("Busan", "The Busan city government"), ("KDCA", "The Korea Disease Control and Prevention Agency")),
    "Business": (("Samsung", "Samsung Electronics"), ("Hyundai Motor", "Hyundai Motor"), ("SK hynix", "SK hynix"),
                 ("LG Energy", "LG Energy Solution"), ("BOK", "The Bank of Korea"),
                 ("Finance ministry", "The Finance Ministry"), ("FSC", "The Financial Services Commission"),
                 ("Naver", "Naver"), ("Kakao", "Kakao"), ("Lotte", "Lotte Group"), ("Kospi", "The Kospi")),
    "Life&Culture": (("National Museum", "The National Museum of Korea"), ("Seoul Arts Center", "Seoul Arts Center"),
                     ("Culture ministry", "The Culture Ministry"), ("Jeju", "The Jeju provincial government"),
                     ("Publishers' group", "A group of local publishers"),
                     ("Chef collective", "A collective of young chefs"),
                     ("Palace", "The Cultural Heritage Administration")),
    "Entertainment": (("Girl group Lumen", "Girl group Lumen"), ("Boy band Northwind", "Boy band Northwind"),
                      ("Singer Ha Yoon-seo", "Singer Ha Yoon-seo"), ("Director Park Seo-jun", "Director Park Seo-jun"),
                      ("Actor Min Do-hyun", "Actor Min Do-hyun"), ("Streaming series", "The streaming series"),
                      ("Agency", "The entertainment agency"), ("Band Paper Moon", "Band Paper Moon")),
    "Sports": (("Korea", "The national team"), ("Ulsan", "Ulsan HD"), ("Doosan Bears", "The Doosan Bears"),
               ("LG Twins", "The LG Twins"), ("Archer Lim Si-hyeon", "Archer Lim Si-hyeon"),
               ("Skater Kim Gil-li", "Skater Kim Gil-li"), ("K League", "The K League"),
               ("Golfer Ko Jin-young", "Golfer Ko Jin-young")),
    "World": (("Japan", "Japan"), ("China", "China"), ("US", "The United States"), ("EU", "The European Union"),
              ("UN", "The United Nations"), ("Vietnam", "Vietnam"), ("India", "India"), ("Australia", "Australia")),
    "Opinion": (("Editorial", "The government"), ("Column", "Policymakers"), ("Viewpoint", "Lawmakers"),
                ("Editorial", "The National Assembly"), ("Column", "Local governments")),
}
TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "National": (("night bus routes", "the number of late-night bus routes"),
                 ("youth housing aid", "rental support for young workers living alone"),
                 ("school meal budget", "the budget for free school meals"),
                 ("drone defense", "the anti-drone defense network near the border"),
                 ("disaster alerts", "the emergency text alert system for heavy rain"),
                 ("pension reform", "the timetable for reforming the national pension"),
                 ("child care centers", "the number of public child care centers"),
                 ("elderly care", "home visits for elderly people living alone"),
                 ("traffic fines", "fines for speeding near schools")),
    "Business": (("chip investment", "investment in its memory chip lines"),
                 ("EV battery output", "production of electric vehicle batteries"),
                 ("export outlook", "its outlook for exports this year"),
                 ("base rate", "the benchmark interest rate"),
                 ("household loans", "rules on household lending"),
                 ("AI data centers", "plans to build data centers for artificial intelligence"),
                 ("shareholder returns", "its policy on dividends and share buybacks"),
                 ("supplier payments", "payment terms for small suppliers")),
    "Life&Culture": (("ceramics show", "an exhibition of Joseon-era ceramics"),
                     ("night tours", "night tours of the royal palaces"),
                     ("hiking trails", "a network of coastal hiking trails"),
                     ("book fair", "the annual international book fair"),
                     ("temple stays", "temple stay programs for foreign visitors"),
                     ("street food", "a festival of regional street food"),
                     ("hanbok rental", "free hanbok rental for palace visitors")),
    "Entertainment": (("world tour", "a world tour covering 18 cities"),
                      ("new album", "a new album due out next month"),
                      ("fan meeting", "a fan meeting at a Seoul arena"),
                      ("film festival", "a screening at the Busan International Film Festival"),
                      ("drama sequel", "a second season of the hit drama"),
                      ("music chart", "the top spot on local music charts"),
                      ("variety show", "a new travel variety show")),
    "Sports": (("World Cup qualifier", "the next World Cup qualifier"),
               ("pennant race", "the pennant race in the final weeks of the season"),
               ("Asian Games squad", "the squad for the Asian Games"),
               ("coaching change", "the search for a new head coach"),
               ("stadium plan", "plans for a new domed stadium"),
               ("title defense", "the defense of its league title"),
               ("world championships", "the world championships in Europe")),
    "World": (("trade talks", "trade talks with its neighbors"),
              ("climate pledge", "its pledge to cut greenhouse gas emissions"),
              ("rate decision", "its latest interest rate decision"),
              ("border dispute", "a long-running border dispute"),
              ("election result", "the result of a closely watched election"),
              ("aid package", "an aid package for flood-hit regions"),
              ("tariff plan", "a plan to raise tariffs on imported steel")),
    "Opinion": (("budget priorities", "the priorities of next year's budget"),
                ("aging society", "the challenges of a rapidly aging society"),
                ("housing costs", "the rising cost of housing in the capital"),
                ("regional decline", "the decline of small cities outside the capital"),
                ("school reform", "reform of the college entrance system"),
                ("energy mix", "the country's future energy mix")),
}
OPINION_HEADLINES = ("Time to rethink {topic}", "What {topic} tells us", "The case for {topic}",
                     "Getting {topic} right", "No easy answers on {topic}", "Lessons from {topic}")
HEADLINE_VERBS = ("to expand", "to overhaul", "to review", "moves to cut", "unveils plan for", "pledges more",
                  "delays", "weighs changes to", "calls for", "backs", "eyes", "to boost", "rethinks")
ACTIONS = ("unveiled a plan to expand", "said it would review", "announced a sweeping overhaul of",
           "moved to tighten the rules on", "pledged to increase", "proposed changes to", "began a review of",
           "agreed to revise", "set out a road map for", "promised a fresh look at")
SUBTITLES = ("{n} measures to take effect {future}", "Critics say the step falls short of what is needed",
             "Officials expect the change to reach {n},000 people", "Move comes {reason}",
             "Decision follows {n} months of talks", "Plan includes {n} pilot projects {place}",
             "Experts urge caution over costs", "First such step in {n} years")
CREDITS = ("Yonhap", "Newsis", "Korea Herald", "AFP", "Getty Images", "Joint Press Corps",
           "Seoul Metropolitan Government", "Korea Herald DB")
CAPTIONS = ("Visitors walk past a display {place} {time}.", "People wait in line at a service center {place} {time}.",
            "Officials attend a briefing {place} {time}.", "A general view of the site {place} {time}.",
            "Participants pose for a photo at an event {place} {time}.",
            "Workers inspect equipment at a facility {place} {time}.",
            "Commuters board a bus {place} {time}.", "Students listen to a lecture {place} {time}.")
TAGS = ("policy", "economy", "Seoul", "households", "budget", "National Assembly", "exports", "culture",
        "K-pop", "tourism", "education", "defense", "climate", "technology", "sports", "diplomacy")


def _email(name: str, salt: int) -> str:
    surname, given = name.split(" ", 1)
    return f"{given.replace('-', '')}{surname[0].lower()}{salt % 100:02d}@heraldcorp.com".lower()


def _join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


class _Writer:
    """Draws from the vocabulary with one seeded generator (``random()`` indexing: faster than ``choice``)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, items: tuple[Any, ...] | list[Any]) -> Any:
        return items[int(self.random() * len(items))]

    def number(self, low: int, high: int) -> int:
        """An integer in ``[low, high)``."""
        return low + int(self.random() * (high - low))

    def name(self) -> str:
        return f"{self.pick(SURNAMES)} {self.pick(SYLLABLES)}-{self.pick(SYLLABLES).lower()}"

    def sentence(self, section: str, actor: str, topic: str, weekday: str, kind: int | None = None) -> str:
        pick, number = self.pick, self.number
        kind = number(0, 10) if kind is None else kind
        if kind == 0:
            return f"{actor} {pick(ACTIONS)} {topic} {weekday}, {pick(REASONS)}."
        if kind == 1:
            unit, low, high = pick(UNITS)
            return (f"{pick(STAT_SUBJECTS)} {pick(('rose', 'fell', 'climbed', 'dropped'))} {number(2, 40)}."
                    f"{number(0, 10)} percent from a year earlier to {number(low, high):,} {unit}, "
                    f"according to figures released {pick(TIMES)}.")
        if kind == 2:
            return f"\"{pick(QUOTES)},\" said {self.name()}, {pick(ROLES)}."
        if kind == 3:
            return (f"{pick(CONNECTORS)} the {pick(('changes', 'measures', 'steps', 'proposals'))} are expected "
                    f"to take effect {pick(FUTURE)}, with pilot programs {pick(PLACES)}.")
        if kind == 4:
            return f"Critics argued that {pick(CLAIMS)}, while supporters said such concerns were overstated."
        if kind == 5:
            return (f"{pick(ACTORS[section])[1]} {pick(ACTIONS)} {pick(TOPICS[section])[1]} {pick(TIMES)}, "
                    "a move seen as closely linked to the latest decision.")
        if kind == 6:
            return (f"About {number(12, 88)} percent of respondents in a recent survey {pick(PLACES)} said they "
                    f"supported {topic}.")
        if kind == 7:
            return (f"Officials said {number(2, 90)} billion won would be set aside for the program "
                    f"{pick(FUTURE)}, {pick(REASONS)}.")
        if kind == 8:
            return (f"The debate over {topic} has dragged on since {number(2009, 2024)}, when a similar proposal "
                    f"was shelved {pick(REASONS)}.")
        return f"The issue is set to be discussed again at a meeting {pick(FUTURE)}, officials said."

    def paragraph(self, section: str, actor: str, topic: str, weekday: str, lead: bool = False) -> str:
        """40 to 90 words: sentences (at most 40 words each) until a target in that range is reached; a
        lead paragraph opens with who did what."""
        target = self.number(40, 91)
        words: list[str] = []
        while len(words) < target:
            sentence = self.sentence(section, actor, topic, weekday, 0 if lead and not words else None).split()
            if len(words) + len(sentence) > 90:
                break
            words.extend(sentence)
        return " ".join(words)


@dataclass
class Story:
    """What page file ``m`` shows (its copies ``m + 10000 * j`` show the same)."""

    m: int
    layout: str
    section: Section
    subsection: str | None
    template: Template
    title: str
    subtitle: str | None
    names: list[str]
    emails: list[str]
    paragraphs: list[str]
    photos: list[tuple[str, str, str]]  # url, caption, credit
    tags: list[str]
    published: datetime
    updated: datetime


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def make_story(m: int, template: Template, seed: int) -> Story:
    writer = _Writer(seed * 1_000_003 + m)
    pick, number = writer.pick, writer.number
    section = template.section.name
    short_actor, actor = pick(ACTORS[section])
    short_topic, topic = pick(TOPICS[section])
    if section == "Opinion":
        title = f"[{short_actor}] " + pick(OPINION_HEADLINES).format(topic=short_topic)
    else:
        title = f"{short_actor} {pick(HEADLINE_VERBS)} {short_topic}"
        if writer.random() < 0.3:
            title += f" {pick(PLACES)}"
    subtitle = None
    if template.has_subtitle:
        subtitle = pick(SUBTITLES).format(
            n=number(2, 30), future=pick(FUTURE), reason=pick(REASONS), place=pick(PLACES)
        )
    pub = published(m)
    weekday = f"on {WEEKDAYS[pub.weekday()]}"
    paragraphs = [writer.paragraph(section, actor, topic, weekday, lead=i == 0) for i in range(number(6, 15))]
    authors = 1 + (writer.random() < 0.3) + (writer.random() < 0.1)
    names: list[str] = []
    while len(names) < authors:
        name = writer.name()
        if name not in names:
            names.append(name)
    emails = [_email(name, m + i) for i, name in enumerate(names)]
    photos = []
    for index in range(number(1, 4)):
        caption = pick(CAPTIONS).format(place=pick(PLACES), time=pick(TIMES))
        photos.append((_photo_url(template.layout, m, pub, index), caption, pick(CREDITS)))
    first_tag = number(0, len(TAGS))
    tags = [TAGS[(first_tag + 5 * i) % len(TAGS)] for i in range(3)]
    updated = pub + timedelta(minutes=number(5, 20 * 60))
    return Story(m, template.layout, template.section, template.subsection, template, title, subtitle, names,
                 emails, paragraphs, photos, tags, pub, updated)


def _photo_url(layout: str, m: int, pub: datetime, index: int) -> str:
    if layout == "cms":
        digest = hashlib.blake2b(f"{m}/{index}".encode(), digest_size=6).hexdigest()
        return f"https://wimg.heraldcorp.com/news/cms/{pub:%Y/%m/%d}/news-p.v1.{pub:%Y%m%d}.{digest}.jpg"
    scheme = "https" if layout == "2023" else "http"
    return f"{scheme}://res.heraldm.com/content/image/{pub:%Y/%m/%d}/{pub:%Y%m%d}00{m:04d}_{index}.jpg"


# -- dates as each layout shows them ----------------------------------------------------------------------

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
RFC_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def shown_date(layout: str, moment: datetime) -> str:
    """A date as the layout's pages show it: ``2012-09-17 10:41``, ``Aug 26, 2020 - 15:44``,
    ``Sept. 22, 2023 - 16:05`` (2023 and cms)."""
    if layout == "2012":
        return f"{moment:%Y-%m-%d %H:%M}"
    months = SHORT_MONTHS if layout == "2017" else AP_MONTHS
    return f"{months[moment.month - 1]} {moment.day}, {moment.year} - {moment:%H:%M}"


def rfc822(moment: datetime) -> str:
    """An RSS pubDate with the site's colon offset: ``Mon, 02 Nov 2026 14:05:00 +09:00``."""
    return (f"{RFC_DAYS[moment.weekday()]}, {moment.day:02d} {SHORT_MONTHS[moment.month - 1]} {moment.year} "
            f"{moment:%H:%M:%S} +09:00")


def list_date(moment: datetime) -> str:
    return f"{LONG_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


# -- templates ----------------------------------------------------------------------------------------------


def _ct(*names: str) -> str:
    return " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')" for n in names)


_CMS_HEADER = f"//*[{_ct('article-header', 'article-head', 'view-header')}]"
_NOT_HEADINGS = "[not(self::h1 or self::h2 or self::a)]"
_STARTS_BY = "starts-with(normalize-space(.), 'By ')"
_TEXT_OR_LINKS = "[not(*[not(self::a)])]"
_AREA_2023 = f"//div[{_ct('news_content')}]//div[{_ct('news_title_area')}]"
#: Where each layout keeps its fields (the markup notes of ``herald_crawler/pages``), for template surgery.
FINDERS: dict[str, dict[str, str]] = {
    "cms": {
        "title": f"{_CMS_HEADER}//h1 | //h1[{_ct('article-title')}]",
        "subtitle": f"//*[{_ct('article-sub-title', 'article-subtitle', 'sub-title', 'subtitle')}]"
                    f" | {_CMS_HEADER}//h2",
        "byline": f"//*[{_ct('article-author', 'byline', 'writer', 'author')}]"
                  f" | {_CMS_HEADER}//*{_NOT_HEADINGS}[{_STARTS_BY}]{_TEXT_OR_LINKS}",
        "dates": f"{_CMS_HEADER}//*[{_ct('article-date', 'date')}]",
        "body": f"//article[{_ct('article-body')}]",
    },
    "2023": {
        "title": f"//h1[{_ct('news_title')}]",
        "subtitle": f"{_AREA_2023}//h2[{_ct('news_title')}]",
        "byline": f"{_AREA_2023}//*{_NOT_HEADINGS}"
                  f"[{_STARTS_BY} or starts-with(normalize-space(.), 'by ')]{_TEXT_OR_LINKS}",
        "dates": f"//p[{_ct('news_date')}] | {_AREA_2023}//*[{_ct('news_date', 'date')}]",
        "body": f"//div[{_ct('news_text_area')}]",
        "reporters": f"//*[{_ct('news_journalist_area')}]",
    },
    "2017": {
        "title": f"//h1[{_ct('view_tit')}]",
        "subtitle": f"//*[{_ct('view_tit_sub')}]",
        "byline": f"//*[{_ct('view_tit_byline_l')}]",
        "dates": f"//*[{_ct('view_tit_byline_r')}]",
        "body": "//*[@id='articleText']",
    },
    "2012": {
        "title": f"//div[{_ct('nview')}]//*[{_ct('title_sec')}]",
        "subtitle": f"//div[{_ct('nview')}]//*[{_ct('stitle_sec')}]",
        "dates": f"//div[{_ct('nview')}]//*[{_ct('writedata')}]//*[{_ct('date')}]",
        "body": "//*[@id='articleText']",
    },
}
_TAG_BOXES = f"//*[{_ct('news_tag', 'article-tags', 'tags', 'tag_list', 'tag-list', 'keyword')}]"
#: Slots: E (text, HTML-escaped), R (markup, as is), J (a JSON value, the quotes around the slot included).
_SLOT = re.compile(r'"@@J\.(\w+)@@"|@@([ER])\.(\w+)@@')


def _slot(mode: str, key: str) -> str:
    return f"@@{mode}.{key}@@"


@dataclass
class Template:
    """A real mirror page with its article taken out: literal chunks and the slots between them."""

    layout: str
    name: str
    section: Section
    subsection: str | None
    section_shown: str = ""  # the section as the page's breadcrumb / JSON-LD names it
    has_subtitle: bool = False
    has_byline: bool = False
    has_reporter_box: bool = False
    shows_updated: bool = False
    parts: list[tuple[str, str, str]] = field(default_factory=list)  # (literal, mode, key); last key ""

    def render(self, values: dict[str, Any]) -> str:
        out: list[str] = []
        for literal, mode, key in self.parts:
            out.append(literal)
            if key:
                value = values[key]
                if mode == "E":
                    out.append(html.escape(value))
                elif mode == "R":
                    out.append(value)
                else:
                    out.append(_json(value))
        return "".join(out)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _set_text(element: Any, text: str) -> None:
    for child in list(element):
        element.remove(child)
    element.text = text


def _walk_jsonld(node: Any, seen: dict[str, bool]) -> Any:
    """Replace the article's own values in a JSON-LD tree with slots; note what the page states."""
    if isinstance(node, list):
        return [_walk_jsonld(item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    article = any(k in ("NewsArticle", "Article", "ReportageNewsArticle", "OpinionNewsArticle") for k in kinds)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "headline":
            out[key] = _slot("J", "title")
        elif key == "alternativeHeadline":
            out[key] = _slot("J", "subtitle")
        elif key == "description":
            out[key] = _slot("J", "description")
        elif key == "name" and "WebPage" in kinds:
            out[key] = _slot("J", "title_full")
        elif key in ("datePublished", "dateCreated"):
            out[key] = _slot("J", "published_ld")
        elif key == "dateModified":
            seen["modified"] = seen["modified"] or article
            out[key] = _slot("J", "updated_ld")
        elif key == "author" and article:
            out[key] = _slot("J", "authors_ld")
        elif key == "keywords" and article:
            out[key] = _slot("J", "tags")
        elif key == "image" and article:
            out[key] = _slot("J", "image_ld")
        elif key == "articleBody":
            out[key] = _slot("J", "body_text")
        else:
            out[key] = _walk_jsonld(value, seen)
    if article and "datePublished" not in out:  # every page states its publication date
        out["datePublished"] = _slot("J", "published_ld")
    return out


def build_template(path: Path, layout: str) -> Template:
    """Take the article out of a mirror page: its text, byline, dates and photos become slots."""
    golden = json.loads(path.with_suffix(".json").read_text("utf-8"))
    section = section_named(golden["section"])
    source = path.read_bytes()
    root = lxml_html.document_fromstring(source, parser=lxml_html.HTMLParser(encoding="utf-8"))
    template = Template(layout, path.stem, section, golden.get("subsection"), golden["section"])
    finders = FINDERS[layout]

    def found(name: str) -> list[Any]:
        return root.xpath(finders[name]) if name in finders else []

    body = found("body")[0]
    for child in list(body):
        body.remove(child)
    body.text = _slot("R", "body")

    title = found("title")[0]
    _set_text(title, _slot("E", "title"))
    subtitles = [e for e in found("subtitle") if e.text_content().strip()]
    if subtitles:
        _set_text(subtitles[0], _slot("E", "subtitle"))
        template.has_subtitle = True
    bylines = [e for e in found("byline") if e.text_content().strip()]
    if bylines:
        element = bylines[0]
        linked = element.find(".//a") is not None
        _set_text(element, "" if linked else _slot("E", "byline"))
        if linked:
            etree.SubElement(element, "a", href=_slot("E", "byline_search")).text = _slot("E", "byline")
        template.has_byline = True
    for element in found("reporters"):
        _set_text(element, _slot("R", "reporters"))
        template.has_reporter_box = True

    # Dates: one element with both, or one each; a page showing only an update shows it as published.
    date_elements = found("dates")
    date_elements = [e for e in date_elements if not any(a in date_elements for a in e.iterancestors())]
    has_published = any(not _is_updated_label(e.text_content()) for e in date_elements)
    for index, element in enumerate(date_elements):
        text = " ".join(element.text_content().split())
        if "Published" in text and ("Updated" in text or "Modified" in text):
            _set_text(element, _slot("E", "dates_both"))
            template.shows_updated = True
        elif _is_updated_label(text) and (has_published or index > 0):
            _set_text(element, _slot("E", "updated_line"))
            template.shows_updated = True
        else:
            _set_text(element, _slot("E", "published_line"))
            has_published = True

    for box in root.xpath(_TAG_BOXES):
        _set_text(box, _slot("R", "tag_links"))
    for anchor in root.xpath("//a[contains(@href, 'list_name.php?byline=')]"):
        anchor.set("href", _slot("E", "byline_search"))

    # The head: title, meta tags, JSON-LD.
    for element in root.xpath("//head/title"):
        suffix = " - The Korea Herald" if "Korea Herald" in (element.text or "") else ""
        element.text = _slot("E", "title") + suffix
    metas = {
        "description": "description", "og:description": "description", "twitter:description": "description",
        "og:title": "title", "twitter:title": "title", "author": "authors_csv", "keywords": "tags_csv",
        "news_keywords": "tags_csv", "og:image": "og_image", "article:published_time": "published_ld",
        "article:modified_time": "updated_ld",
    }
    for element in root.xpath("//meta[@content]"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key in metas:
            element.set("content", _slot("E", metas[key]))
    if layout == "cms":
        seen = {"modified": False}
        for script in root.xpath("//script[@type='application/ld+json']"):
            data = json.loads(script.text, strict=False)
            script.text = "\n" + json.dumps(_walk_jsonld(data, seen), ensure_ascii=False, indent=2) + "\n"
        template.shows_updated = seen["modified"]

    doctype = root.getroottree().docinfo.doctype
    markup = lxml_html.tostring(root, encoding="unicode", doctype=doctype or None)
    markup = markup.replace(golden["article_id"], _slot("R", "id"))
    head_end = markup.index("</head>")
    markup = markup[:head_end] + _slot("R", "head_pad") + markup[head_end:]
    body_end = markup.rindex("</body>")
    markup = markup[:body_end] + _slot("R", "body_pad") + markup[body_end:]
    _check_nothing_left(markup, golden, path)
    template.parts = _compile(markup)
    return template


def _is_updated_label(text: str) -> bool:
    return bool(re.match(r"\s*(Updated|Modified)\b", text))


def _check_nothing_left(markup: str, golden: dict[str, Any], path: Path) -> None:
    """No text of the real article may survive in a template."""
    text = html.unescape(markup)
    leftovers = [golden["title"]] + ([golden["subtitle"]] if golden.get("subtitle") else [])
    leftovers += [p[:60] for p in golden["body"] if len(p) > 30]
    leftovers += [i["caption"][:60] for i in golden["images"] if i.get("caption") and len(i["caption"]) > 30]
    for piece in leftovers:
        if piece in text:
            raise ValueError(f"{path}: template still shows {piece!r}")


def _compile(markup: str) -> list[tuple[str, str, str]]:
    parts: list[tuple[str, str, str]] = []
    position = 0
    for match in _SLOT.finditer(markup):
        if match.group(1):
            mode, key = "J", match.group(1)
        else:
            mode, key = match.group(2), match.group(3)
        parts.append((markup[position : match.start()], mode, key))
        position = match.end()
    parts.append((markup[position:], "", ""))
    return parts


_TEMPLATE_CACHE: dict[Path, dict[str, list[Template]]] = {}


def load_templates(articles: Path = MIRROR_ARTICLES) -> dict[str, list[Template]]:
    """Every mirror page as a template, by layout (built once per process)."""
    if articles not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[articles] = {
            layout: [build_template(p, layout) for p in sorted((articles / layout).glob("*.html"))]
            for layout in LAYOUTS
        }
    return _TEMPLATE_CACHE[articles]


def template_for(m: int, templates: dict[str, list[Template]]) -> Template:
    """Page file ``m``'s template: the next one of its layout, in turn (m's rank among its layout's files)."""
    digit, tens = m % 10, m // 10
    layout = LAYOUT_BY_DIGIT[digit]
    per_ten = LAYOUT_BY_DIGIT.count(layout)
    rank = tens * per_ten + (digit - LAYOUT_BY_DIGIT.index(layout))
    pool = templates[layout]
    return pool[rank % len(pool)]


# -- the article's own markup, as each layout writes it ----------------------------------------------------


def _email_line(story: Story) -> str:
    return f"By {_join_names(story.names)} ({', '.join(story.emails)})"


def needs_email_line(story: Story) -> bool:
    return story.layout != "2023" or not story.template.has_byline


def body_html(story: Story) -> str:
    """The body container's content: paragraphs and photos in the layout's markup."""
    e = html.escape
    n = len(story.paragraphs)
    photo_after: dict[int, list[int]] = {0: [0]}
    for index in range(1, len(story.photos)):
        photo_after.setdefault(index * n // len(story.photos), []).append(index)
    chunks: list[str] = []
    layout = story.layout
    for position, paragraph in enumerate(story.paragraphs):
        for index in photo_after.get(position, []):
            url, caption, credit = story.photos[index]
            shown = f"{caption} ({credit})"
            if layout == "cms":
                chunks.append(f'\n      <div class="article-photo-wrap">\n        <figure class="article-img">\n'
                              f'          <img src="{url}" alt="{e(shown)}">\n        </figure>\n      </div>')
            elif layout == "2023":
                chunks.append(f'\n      <div class="img_box">\n        <img src="{url}" alt="{e(shown)}">\n'
                              f'        <p class="img_caption">{e(shown)}</p>\n      </div>')
            elif layout == "2017":
                chunks.append(f'\n      <table class="view_img" align="center">'
                              f'<tr><td><img src="{url}" alt="" /></td></tr>'
                              f'\n      <tr><td><div class="view_con_caption">{e(shown)}</div></td></tr></table>')
            else:
                chunks.append('\n          <table align="center" border="0" cellpadding="0" cellspacing="0"'
                              ' width="560">'
                              f'\n            <tr><td><img src="{url}" alt="" width="560" /></td></tr>'
                              f'\n            <tr><td class="caption">{e(shown)}</td></tr>\n          </table>')
        if layout == "cms":
            chunks.append(f"\n      <p>{e(paragraph)}</p>")
        elif layout == "2023":
            chunks.append(f"\n        <p>{e(paragraph)}</p>")
        elif layout == "2017":
            chunks.append(f"\n      {e(paragraph)}<br>\n      <br>")
        else:
            chunks.append(f"\n          {e(paragraph)}<br />\n          <br />")
    email = needs_email_line(story)
    if layout == "cms":
        tail = f"\n      <p>{e(_email_line(story))}</p>\n    " if email else "\n    "
        return "".join(chunks) + tail
    if layout == "2023":
        # Paragraphs sit in div.text_box runs between the photo boxes.
        out, run = [], []
        for chunk in chunks:
            if chunk.lstrip().startswith("<div"):
                if run:
                    out.append('\n      <div class="text_box">' + "".join(run) + "\n      </div>")
                    run = []
                out.append(chunk)
            else:
                run.append(chunk)
        if email:
            run.append(f"\n        <p>{e(_email_line(story))}</p>")
        out.append('\n      <div class="text_box">' + "".join(run) + "\n      </div>")
        return "".join(out) + "\n    "
    if layout == "2017":
        mails = ", ".join(f'<a href="mailto:{m}">{m}</a>' for m in story.emails)
        tail = f"\n      By {e(_join_names(story.names))}<br>\n      ({mails})<br>" if email else ""
        return ('\n  <table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td>'
                '\n    <div class="view_con_t">'
                + "".join(chunks) + tail + "\n    </div>\n  </td></tr></table>\n  ")
    return "".join(chunks) + (f"\n          {e(_email_line(story))}\n        " if email else "\n        ")


def reporters_html(story: Story) -> str:
    boxes = "".join(
        f'\n      <div class="journalist_info">\n        <p class="journalist_name">{html.escape(n)}</p>'
        f'\n        <p class="journalist_email">{mail}</p>\n      </div>'
        for n, mail in zip(story.names, story.emails)
    )
    first = html.escape(story.names[0])
    search = "/search/list_name.php?byline=" + first.replace(" ", "+")
    return f'{boxes}\n      <a href="{search}" class="more">Articles by {first}</a>\n    '


def page_values(story: Story, ident: str) -> dict[str, Any]:
    layout = story.layout
    pub, upd = story.published, story.updated
    byline = f"By {_join_names(story.names)}" if layout != "cms" else f"By {', '.join(story.names)}"
    description = story.paragraphs[0].split(". ")[0].rstrip(".") + "."
    separator = "\xa0" * (6 if layout == "2017" else 3)
    published_line = f"Published : {shown_date(layout, pub)}"
    updated_line = f"Updated : {shown_date(layout, upd)}"
    tag_links = "".join(f'<a href="/search?q={t.replace(" ", "+")}">#{html.escape(t)}</a>' for t in story.tags)
    return {
        "id": ident,
        "title": story.title,
        "title_full": f"{story.title} - The Korea Herald",
        "subtitle": story.subtitle or "",
        "description": description,
        "byline": byline,
        "byline_search": "/search/list_name.php?byline=" + story.names[0].replace(" ", "+"),
        "authors_csv": ", ".join(story.names),
        "authors_ld": [{"@type": "Person", "name": n} for n in story.names],
        "tags": story.tags,
        "tags_csv": ", ".join(story.tags),
        "tag_links": tag_links,
        "og_image": story.photos[0][0],
        "image_ld": [{"@type": "ImageObject", "url": story.photos[0][0], "width": 1200, "height": 800}],
        "published_ld": f"{pub:%Y-%m-%dT%H:%M:%S}",
        "updated_ld": f"{upd:%Y-%m-%dT%H:%M:%S}",
        "published_line": published_line,
        "updated_line": updated_line,
        "dates_both": published_line + separator + updated_line,
        "body_text": "\n\n".join(story.paragraphs),
        "body": body_html(story),
        "reporters": reporters_html(story) if story.template.has_reporter_box else "",
    }


def expected_item(story: Story, ident: str) -> dict[str, Any]:
    """What the crawler should export for this page (the fields the generator decides)."""
    authors = story.names
    email_shown = needs_email_line(story) or story.template.has_reporter_box
    return {
        "article_id": ident,
        "layout": story.layout,
        "title": story.title,
        "subtitle": story.subtitle,
        "authors": [{"name": n, "email": m if email_shown else None} for n, m in zip(authors, story.emails)],
        "published_at": f"{story.published:%Y-%m-%dT%H:%M:%S}+09:00",
        "updated_at": f"{story.updated:%Y-%m-%dT%H:%M:%S}+09:00" if story.template.shows_updated else None,
        "section": story.template.section_shown,
        "subsection": story.subsection,
        "body": story.paragraphs,
        "images": [{"url": u, "caption": c, "credit": r} for u, c, r in story.photos],
    }


# -- site weight: what a real page carries besides the article --------------------------------------------


class Chrome:
    """Padding blocks, built once per mirror: CSS, menus, footers, and a pool of recommendation entries."""

    def __init__(self, stories: list[Story], seed: int) -> None:
        rng = random.Random(seed * 7 + 3)
        self.css = self._css(rng)
        self.menu = self._menu(rng)
        self.footer = self._footer(rng)
        self.loader = self._loader()
        self.stories = stories
        e = html.escape
        self.latest = [
            f'<li><a href="{article_path(s.m)}"><span class="kh_latest_sec">{e(s.section.name)}</span>'
            f'<span class="kh_latest_tit">{e(s.title)}</span></a><span class="kh_latest_time">'
            f"{s.published:%H:%M}</span></li>" for s in stories
        ]
        self.popular = [f'<a href="{article_path(s.m)}">{e(s.title)}</a></li>' for s in stories]
        self.pool = [self._reco(s, rng) for s in stories[: min(len(stories), 1200)]]
        self.pool_bytes = [len(p) + 1 for p in self.pool]

    @staticmethod
    def _css(rng: random.Random) -> list[str]:
        blocks = ("header", "gnb", "mega", "rank", "latest", "ft", "btn", "ad", "modal", "toast", "card", "grid")
        props = ("margin:0 auto", "padding:12px 16px", "display:flex", "align-items:center", "color:#1a1a1a",
                 "font-size:15px", "line-height:1.6", "border-bottom:1px solid #e5e5e5", "background:#fff",
                 "justify-content:space-between", "font-weight:700", "overflow:hidden", "text-overflow:ellipsis",
                 "white-space:nowrap", "position:relative", "z-index:10", "transition:opacity .2s ease-in-out")
        rules = []
        for index in range(900):
            block = blocks[index % len(blocks)]
            selector = f".kh_{block}_{rng.choice(('item', 'wrap', 'list', 'tit', 'box', 'link', 'img', 'txt'))}{index}"
            if index % 5 == 0:
                selector += f":hover,.kh_{block}_on{index}"
            rules.append(selector + "{" + ";".join(rng.sample(props, 3 + index % 4)) + "}")
            if index % 60 == 59:
                rules.append(f"@media (max-width:{rng.choice((768, 1024, 1280))}px){{.kh_{block}_wrap{index}"
                             "{display:block;padding:8px}}")
        return rules

    @staticmethod
    def _menu(rng: random.Random) -> str:
        subsections = ("Politics", "Social Affairs", "Foreign Affairs", "Defense", "North Korea", "Science",
                       "Education", "Economy", "Finance", "Industry", "Technology", "Mobility", "Travel", "Food",
                       "Books", "Arts", "Fashion", "K-pop", "Film", "Television", "Music", "Baseball", "Soccer",
                       "Golf", "Asia-Pacific", "Americas", "Europe", "Editorial", "Viewpoints", "Columnists")
        columns = []
        for section in SECTIONS:
            links = "".join(
                f'<li><a href="/{section.path}/{name.replace(" ", "")}" data-gtm="menu_{section.path.lower()}_{i}">'
                f"{html.escape(name)}</a></li>"
                for i, name in enumerate(rng.sample(subsections, 10))
            )
            columns.append(
                f'<div class="mega_col"><strong class="mega_tit"><a href="/{section.path}">{html.escape(section.name)}'
                f'</a></strong><ul class="mega_sub">{links}</ul>'
                f'<p class="mega_legacy"><a href="/list.php?ct={section.ct}">{html.escape(section.name)} archive</a>'
                "</p></div>"
            )
        topics = "".join(f'<a href="/search?q={t.replace(" ", "+")}" class="mega_topic">#{html.escape(t)}</a>'
                         for t in TAGS)
        return ('\n<div id="kh_mega_menu" class="mega_menu" aria-hidden="true"><div class="mega_inner">'
                + "".join(columns) + f'<div class="mega_topics"><strong>Trending topics</strong>{topics}</div>'
                + "</div></div>")

    @staticmethod
    def _footer(rng: random.Random) -> str:
        family = ("Herald Business", "Herald Corp", "Herald Pop", "Herald Design", "K-Pop Herald", "Herald Edu",
                  "Herald Golf", "Herald Mall", "Herald Insight", "Herald Global", "Junior Herald", "Herald Money")
        services = ("About Us", "Contact Us", "Advertise", "Subscribe", "E-paper", "RSS", "Newsletter",
                    "Terms of Service", "Privacy Policy", "Youth Protection Policy", "Reader Services",
                    "Corrections", "Code of Ethics", "Careers", "Sitemap", "Copyright Policy")
        groups = []
        for title, names in (("Family sites", family), ("Services", services)):
            links = "".join(
                f'<li><a href="https://www.heraldcorp.com/{name.lower().replace(" ", "-")}?utm_source=kh&amp;'
                f'utm_medium=footer&amp;utm_campaign={i}" target="_blank" rel="noopener">{html.escape(name)}</a></li>'
                for i, name in enumerate(names)
            )
            groups.append(f'<div class="ft_group"><h4 class="ft_group_tit">{title}</h4><ul>{links}</ul></div>')
        archive = "".join(
            f'<a href="/list.php?ct={s.ct}&amp;np={p}" class="ft_archive">{html.escape(s.name)} {p}</a>'
            for s in SECTIONS for p in range(1, 13)
        )
        return ('\n<div id="kh_footer_links" class="ft_sitemap">' + "".join(groups)
                + f'<div class="ft_archive_box">{archive}</div>'
                + '<p class="ft_info">Herald Corporation, Huam-ro 4-gil 10, Yongsan-gu, Seoul. Registration No. '
                  'Seoul A 00002. Publisher and editor Choi Jin-young. Tel 02-727-0114.</p></div>')

    @staticmethod
    def _loader() -> str:
        return ("\n<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
                "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';"
                "j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);"
                "})(window,document,'script','dataLayer','GTM-KH0001');"
                "window.khAds=window.khAds||{queue:[],push:function(c){this.queue.push(c)}};"
                "document.addEventListener('DOMContentLoaded',function(){"
                "var b=document.querySelectorAll('.kh_ad_slot');"
                "for(var n=0;n<b.length;n++){window.khAds.push({slot:b[n].getAttribute('data-slot'),"
                "size:b[n].getAttribute('data-size')});}});</script>")

    @staticmethod
    def _reco(story: Story, rng: random.Random) -> str:
        ident = article_id(story.m)
        return json.dumps({
            "id": ident, "url": article_path(story.m), "title": story.title, "section": story.section.name,
            "thumb": story.photos[0][0], "ts": f"{story.published:%Y-%m-%dT%H:%M:%S}+09:00",
            "score": round(rng.random(), 4), "ab": rng.choice(("a", "b", "c")),
        }, separators=(",", ":"))

    def head(self, story: Story, ident: str) -> str:
        h = _mix(story.m)
        start = h % 300
        rules = self.css[start : start + 180 + h % 280]
        config = {
            "article": {"id": ident, "section": story.section.name, "layout": story.layout, "words":
                        sum(len(p.split()) for p in story.paragraphs), "authors": len(story.names)},
            "ads": [{"slot": f"/2190712/kh_{story.section.path.lower()}_{pos}", "sizes": [[300, 250], [728, 90]],
                     "lazy": pos > 1, "refresh": 30 + pos * 15} for pos in range(1, 9)],
            "features": {"darkMode": bool(h & 1), "newsletterPopup": bool(h & 2), "comments": False,
                         "readingProgress": True, "fontSizes": [14, 15, 16, 18, 20]},
            "experiments": [{"id": f"exp_{i}", "variant": "abc"[(h >> i) % 3]} for i in range(12)],
        }
        return ('\n<style id="kh_critical_css">' + "".join(rules) + "</style>"
                + "\n<script>window.khConfig=" + json.dumps(config, separators=(",", ":")) + ";</script>"
                + self.loader + "\n")

    def tail(self, story: Story) -> str:
        m, n = story.m, len(self.stories)
        latest = "".join(self.latest[(m - i) % n] for i in range(1, 16))
        popular = "".join(
            f'<li><span class="kh_rank_num">{i + 1}</span>' + self.popular[_mix(m * 31 + i) % n] for i in range(10)
        )
        ads = "".join(f'<div class="kh_ad_slot" data-slot="kh_{pos}" data-size="300x250"></div>' for pos in range(6))
        return (self.menu
                + '\n<div class="kh_rank_box most_popular"><h3 class="kh_rank_head">Most Popular</h3>'
                + f"<ol>{popular}</ol></div>"
                + f'\n<div class="kh_latest_box"><h3 class="kh_latest_head">Latest News</h3><ul>{latest}</ul></div>'
                + f"\n{ads}" + self.footer)

    def filler(self, story: Story, missing: int) -> str:
        """A recommendation blob of about ``missing`` bytes (entries from the pool, in turn)."""
        if missing <= 0:
            return ""
        start = _mix(story.m + 17) % len(self.pool)
        chosen: list[str] = []
        size = 0
        index = start
        while size < missing:
            chosen.append(self.pool[index])
            size += self.pool_bytes[index]
            index = (index + 1) % len(self.pool)
        return "\n<script>window.__KH_RECOMMEND__=[" + ",".join(chosen) + "];</script>"


def render_page(story: Story, chrome: Chrome) -> bytes:
    """Page file ``story.m`` as written (UTF-8), padded to its target weight."""
    ident = article_id(story.m)
    values = page_values(story, ident)
    values["head_pad"] = chrome.head(story, ident)
    values["body_pad"] = chrome.tail(story) + "\n"
    page = story.template.render(values).encode("utf-8")
    target = PAGE_BYTES[0] + _mix(story.m * 3 + 1) % (PAGE_BYTES[1] - PAGE_BYTES[0] - 2_000)
    end = page.rindex(b"</body>")
    return page[:end] + chrome.filler(story, target - len(page) - 60).encode("ascii") + page[end:]


def _write_bytes(path: Path, data: bytes) -> int:
    path.write_bytes(data)
    return len(data)


# -- navigation: robots.txt, sitemaps, feeds, section lists ------------------------------------------------


def _write(path: Path, text: str) -> int:
    return _write_bytes(path, text.encode("utf-8"))


def _pager(href: Callable[[int], str], page: int, pages: int, rel: str = "") -> tuple[str, str]:
    """A list page's pager: links to the pages of its block of ten, and a Next link unless it is the last."""
    block = (page - 1) // 10 * 10
    numbers = " ".join(
        f'<a href="{href(p)}"{" class=on" if p == page else ""}>{p}</a>'
        for p in range(block + 1, min(block + 10, pages) + 1)
    )
    nxt = f' <a href="{href(page + 1)}" class="next"{rel}>Next</a>' if page < pages else ""
    return numbers, nxt


def _list_page_current(section: Section, page: int, pages: int, entries: list[tuple[str, Story]]) -> str:
    e = html.escape
    items = "".join(
        f'\n      <li><a href="{path}"><div class="news_txt"><p class="news_tit">{e(s.title)}</p>'
        f'<p class="news_date">{list_date(s.published)}</p></div></a></li>'
        for path, s in entries
    )
    numbers, nxt = _pager(lambda p: f"/{section.path}?page={p}", page, pages, ' rel="next"')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8"><title>{e(section.name)} - The Korea Herald'
            f'</title></head>\n<body>\n<header id="header"><a class="logo" href="/">The Korea Herald</a>'
            f'<span class="header-promo">소아쌤</span>\n<nav class="gnb">'
            + "".join(f'<a href="/{s.path}">{e(s.name)}</a>' for s in SECTIONS)
            + f'</nav></header>\n<main id="container">\n  <h2 class="section-title">{e(section.name)}</h2>\n'
            f'  <article class="recent_news">\n    <ul class="news_list">{items}\n    </ul>\n  </article>\n'
            f'  <div class="paging">{numbers}{nxt}</div>\n</main>\n<footer id="footer"><a href="#">MOST POPULAR</a>'
            f'<a href="#">LATEST NEWS</a><a href="/subscribe">subscribe</a></footer>\n</body></html>\n')


def _list_page_legacy(section: Section, page: int, pages: int, entries: list[tuple[str, Story]]) -> str:
    e = html.escape
    items = "".join(
        f'\n    <li><a href="{path}"><div class="main_l_img"></div><div class="main_l_t1">{e(s.title)}</div></a>'
        f'<div class="main_l_t2">{e(s.subsection or s.section.name)}{list_date(s.published)}</div></li>'
        for path, s in entries
    )
    numbers, nxt = _pager(lambda p: f"/list.php?ct={section.ct}&amp;np={p}", page, pages)
    return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html lang="en"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
            "<title>The Korea Herald</title></head>\n"
            '<body>\n<div id="header"><h1 class="logo"><a href="/">The Korea Herald</a></h1>\n<ul id="gnb">'
            + "".join(f'<li><a href="/list.php?ct={s.ct}">{e(s.name)}</a></li>' for s in SECTIONS)
            + f'</ul></div>\n<div id="container"><div id="contents">\n  <div class="sub_tit">{e(section.name)}</div>\n'
            f'  <ul class="main_sec_li">{items}\n  </ul>\n  <div class="paging">{numbers}{nxt}</div>\n</div>\n'
            '<div id="aside"><div class="most_popular"><h3>Most Popular</h3></div></div>\n</div>\n'
            '<div id="footer">Copyright Herald Corporation</div>\n</body></html>\n')


def _rss(title: str, base: str, entries: Iterable[tuple[int, Story]]) -> str:
    items = []
    for k, story in entries:
        lead = story.paragraphs[0][:160].replace("]]>", "]]&gt;")
        items.append(
            f"<item>\n<title><![CDATA[{story.title}]]></title>\n<link>{base}{article_path(k)}</link>\n"
            f"<description><![CDATA[<p>{html.escape(lead, quote=False)}</p>]]></description>\n"
            f"<pubDate>{rfc822(published(k))}</pubDate>\n</item>\n"
        )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"<channel>\n<title><![CDATA[{title}]]></title>\n<link>{base}</link>\n"
            "<description><![CDATA[The Korea Herald]]></description>\n<language>en</language>\n"
            + "".join(items) + "</channel>\n</rss>\n")


def _paged(keys: list[int], size: int) -> list[list[int]]:
    return [keys[i : i + size] for i in range(0, len(keys), size)] or [[]]


# -- the whole mirror --------------------------------------------------------------------------------------


def generate(
    root: Path,
    count: int,
    *,
    distinct: int = FILES_MAX,
    seed: int = 0,
    base_url: str | None = None,
    articles: Path = MIRROR_ARTICLES,
) -> dict[str, Any]:
    """Write a mirror of ``count`` articles into ``root``; return what it holds.

    ``base_url`` is written into robots.txt, sitemaps and feeds (else the literal ``__BASE__``); article
    and list pages link root-relative. Article ``k`` is served by page file ``pages/{k % 10000:04d}.html``.
    """
    started = time.perf_counter()
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be 1 to {MAX_COUNT:,}, not {count}")
    if not 1 <= distinct <= FILES_MAX or (count > distinct and distinct != FILES_MAX):
        raise ValueError(f"distinct must be 1 to {FILES_MAX} and {FILES_MAX} when count exceeds it, not {distinct}")
    base = (base_url or BASE_PLACEHOLDER).rstrip("/")
    root = Path(root)
    for sub in ("pages", "sitemaps", "rss", "sections", "legacy"):
        (root / sub).mkdir(parents=True, exist_ok=True)

    templates = load_templates(articles)
    files = min(count, distinct)
    stories = [make_story(m, template_for(m, templates), seed) for m in range(files)]
    chrome = Chrome(stories, seed)

    sizes = [_write_bytes(root / "pages" / f"{story.m:04d}.html", render_page(story, chrome)) for story in stories]
    page_bytes = sum(sizes)
    pages_done = time.perf_counter()

    def story_of(k: int) -> Story:
        return stories[k % FILES_MAX]

    # Sitemaps: every article, at most 50,000 a file.
    sitemap_names = []
    for number, chunk_start in enumerate(range(0, count, SITEMAP_MAX_URLS), start=1):
        lines = [
            f"  <url><loc>{base}{article_path(k)}</loc>"
            f"<lastmod>{published(k):%Y-%m-%dT%H:%M:%S}+09:00</lastmod></url>\n"
            for k in range(chunk_start, min(count, chunk_start + SITEMAP_MAX_URLS))
        ]
        name = f"articles-{number}.xml"
        _write(root / "sitemaps" / name, '<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "".join(lines) + "</urlset>\n")
        sitemap_names.append(name)
    _write(root / "sitemaps" / "index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
           '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           + "".join(f"  <sitemap><loc>{base}/sitemaps/{n}</loc></sitemap>\n" for n in sitemap_names)
           + "</sitemapindex>\n")
    _write(root / "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemaps/index.xml\n")

    # Newest first: feeds and section lists.
    by_section: dict[str, dict[str, list[int]]] = {s.name: {"cms": [], "legacy": []} for s in SECTIONS}
    for k in range(count):
        by_section[story_of(k).section.name]["cms" if layout_of(k) == "cms" else "legacy"].append(k)
    for lists in by_section.values():
        for keys in lists.values():
            keys.sort(key=_sort_key, reverse=True)
    newest = heapq.nlargest(FEED_ALL_SIZE, range(count), key=_sort_key)
    _write(root / "rss" / "newsAll.xml", _rss("The Korea Herald", base, ((k, story_of(k)) for k in newest)))
    for section in SECTIONS:
        lists = by_section[section.name]
        keys = heapq.nlargest(FEED_SECTION_SIZE, lists["cms"] + lists["legacy"][:FEED_SECTION_SIZE], key=_sort_key)
        _write(root / "rss" / f"{section.feed}.xml",
               _rss(f"The Korea Herald - {section.name}", base, ((k, story_of(k)) for k in keys)))

    list_pages = 0
    for section in SECTIONS:
        for kind, folder, name, writer in (
            ("cms", "sections", section.path, _list_page_current),
            ("legacy", "legacy", section.ct, _list_page_legacy),
        ):
            chunks = _paged(by_section[section.name][kind], LIST_PAGE_SIZE)
            for number, keys in enumerate(chunks, start=1):
                entries = [(article_path(k), story_of(k)) for k in keys]
                _write(root / folder / f"{name}-{number}.html", writer(section, number, len(chunks), entries))
                list_pages += 1

    layouts = {layout: 0 for layout in LAYOUTS}
    for digit in range(10):
        layouts[LAYOUT_BY_DIGIT[digit]] += len(range(digit, count, 10))
    return {
        "root": str(root),
        "count": count,
        "files": files,
        "seed": seed,
        "base_url": base,
        "layouts": layouts,
        "file_layouts": {layout: sum(1 for s in stories if s.layout == layout) for layout in LAYOUTS},
        "paths": [article_path(k) for k in range(count)],
        "ids": [article_id(k) for k in range(count)],
        "page_bytes": page_bytes,
        "page_sizes": {"min": min(sizes), "max": max(sizes), "mean": page_bytes // len(sizes)},
        "sections": {name: {kind: len(keys) for kind, keys in lists.items()} for name, lists in by_section.items()},
        "sitemaps": len(sitemap_names),
        "list_pages": list_pages,
        "templates": {layout: len(pool) for layout, pool in templates.items()},
        "seconds": {"pages": round(pages_done - started, 3), "total": round(time.perf_counter() - started, 3)},
    }


def story(m: int, *, seed: int = 0, articles: Path = MIRROR_ARTICLES) -> Story:
    """Page file ``m``'s content, as ``generate`` writes it (for checks)."""
    return make_story(m, template_for(m, load_templates(articles)), seed)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base-url")
    args = parser.parse_args(argv)
    facts = generate(args.root, args.count, seed=args.seed, base_url=args.base_url)
    summary = {k: v for k, v in facts.items() if k not in ("paths", "ids")}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
