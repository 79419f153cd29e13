"""Write the mirror's navigation files (feeds, section lists, sitemaps, robots.txt) from its articles.

Authoring tool, run by hand after adding article pages (``python -m tests.mirror.build_navigation``); its
output is committed. Every article is linked from at least one channel, many from several, in the URL
variants the real site shows: other hosts, ``md=``/``kr=`` parameters, the broken
``view.php?ud=/view.php?ud=...`` feed form, a legacy id that redirects to its cms id.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from herald_crawler.sections import SECTIONS, find_sections

SITE = Path(__file__).parent / "site"
ROOT = "https://www.koreaherald.com"
PER_PAGE = 6
# A legacy id whose page now redirects to its cms id (served by redirects.json).
REDIRECTED = ("20250403000123", "10456893")


def articles() -> list[dict]:
    found = []
    for golden in sorted((SITE / "articles").glob("*/*.json")):
        data = json.loads(golden.read_text("utf-8"))
        try:
            section = find_sections(data["section"] or "")[0]
        except ValueError:
            section = None
        # a page that shows only an update time is listed by it
        found.append({**data, "_section": section, "_shown": data["published_at"] or data["updated_at"]})
    return sorted(found, key=lambda a: a["_shown"] or "", reverse=True)


def url_variant(article: dict, n: int) -> str:
    """The article's URL as a list or feed might show it: plain, on another host, with noise parameters."""
    aid = article["article_id"]
    if len(aid) == 8:
        return [f"{ROOT}/article/{aid}", f"https://m.koreaherald.com/article/{aid}", f"/article/{aid}"][n % 3]
    return [
        f"{ROOT}/view.php?ud={aid}",
        f"http://m.koreaherald.com/view.php?ud={aid}&md={aid}_1",
        f"/view.php?ud={aid}&kr=1&np=1&mp=1",
        f"http://khnews.heraldcorp.com/view.php?ud={aid}",
        f"{ROOT}/view.php?ud={aid}&ACE_SEARCH=1",
    ][n % 5]


def rfc822_colon(iso: str) -> str:
    """``Wed, 19 Aug 2026 11:29:16 +09:00``: the feed's date form with a colon in the offset."""
    text = format_datetime(datetime.fromisoformat(iso))
    return text[:-2] + ":" + text[-2:]


def rss(title: str, items: list[tuple[str, dict]]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title><![CDATA[{title}]]></title>",
        f"<link>{ROOT}</link>",
        "<description><![CDATA[The Korea Herald]]></description>",
        "<language>en</language>",
    ]
    for link, article in items:
        lines += [
            "<item>",
            f"<title><![CDATA[{article['title']}]]></title>",
            f"<link>{escape(link)}</link>",
            f"<description><![CDATA[<p>{escape(article['body'][0][:160])}</p>]]></description>",
            f"<pubDate>{rfc822_colon(article['_shown'])}</pubDate>",
            "</item>",
        ]
    return "\n".join(lines + ["</channel>", "</rss>", ""])


def list_date(article: dict) -> str:
    moment = datetime.fromisoformat(article["_shown"])
    return f"{moment:%B} {moment.day}, {moment.year}"


def current_page(section: str, entries: list[dict], page: int, pages: int) -> str:
    items = "\n".join(
        f'      <li><a href="{escape(url_variant(a, i))}"><div class="news_txt">'
        f'<p class="news_tit">{escape(a["title"])}</p><p class="news_date">{list_date(a)}</p></div></a></li>'
        for i, a in enumerate(entries)
    )
    pager = " ".join(
        f'<a href="/{section}?page={p}"{" class=on" if p == page else ""}>{p}</a>' for p in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{section} - The Korea Herald</title></head>
<body>
<header id="header"><a class="logo" href="/">The Korea Herald</a><span class="header-promo">소아쌤</span>
<nav class="gnb"><a href="/National">National</a><a href="/Business">Business</a><a href="/Culture">Life&amp;Culture</a></nav></header>
<main id="container">
  <h2 class="section-title">{section}</h2>
  <article class="recent_news">
    <ul class="news_list">
{items}
    </ul>
  </article>
  <div class="paging">{pager}</div>
</main>
<footer id="footer"><a href="#">MOST POPULAR</a><a href="#">LATEST NEWS</a><a href="/subscribe">subscribe</a></footer>
</body></html>
"""


def legacy_page(code: str, name: str, entries: list[dict], page: int, pages: int) -> str:
    rows = "\n".join(
        f'    <li><a href="{escape(url_variant(a, i + 1))}"><div class="main_l_img"></div>'
        f'<div class="main_l_t1">{escape(a["title"])}</div></a>'
        f'<div class="main_l_t2">{escape(a.get("subsection") or name)}{list_date(a).replace("September", "Sept.")}</div></li>'
        for i, a in enumerate(entries)
    )
    pager = " ".join(
        f'<a href="/list.php?ct={code}&amp;np={p}"{" class=on" if p == page else ""}>{p}</a>'
        for p in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>The Korea Herald</title></head>
<body>
<div id="header"><h1 class="logo"><a href="/">The Korea Herald</a></h1>
<ul id="gnb"><li><a href="/list.php?ct=020100000000">National</a></li><li><a href="/list.php?ct=020200000000">Business</a></li></ul></div>
<div id="container"><div id="contents">
  <div class="sub_tit">{escape(name)}</div>
  <ul class="main_sec_li">
{rows}
  </ul>
  <div class="paging">{pager}</div>
</div>
<div id="aside"><div class="most_popular"><h3>Most Popular</h3><ol><li><a href="/view.php?ud=20140101000001">Not in the mirror</a></li></ol></div></div>
</div>
<div id="footer">Copyright Herald Corporation</div>
</body></html>
"""


def paged(entries: list[dict]) -> list[list[dict]]:
    pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
    return pages[:2] if len(pages) <= 2 else [pages[0], sum(pages[1:], [])]


def main() -> None:
    everything = articles()
    cms = [a for a in everything if a["layout"] == "cms"]
    legacy = [a for a in everything if a["layout"] != "cms"]
    for directory in ("rss", "sections/current", "sections/legacy", "sitemaps"):
        for old in (SITE / directory).glob("*"):
            old.unlink()
        (SITE / directory).mkdir(parents=True, exist_ok=True)

    def write(relative: str, text: str) -> None:
        (SITE / relative).write_text(text, "utf-8")

    # Current feeds carry only the newest cms articles: newsAll the newest 8, each kh_ feed its section's
    # newest 2; older ones are reached through the section lists.
    write("rss/newsAll.xml", rss("The Korea Herald", [(url_variant(a, i), a) for i, a in enumerate(cms[:8])]))
    for section in SECTIONS:
        mine = [a for a in cms if a["_section"] == section][:2]
        name = section.feeds[0].rsplit("/", 1)[-1]
        write(f"rss/{name}.xml", rss(f"The Korea Herald - {section.name}", [(url_variant(a, 0), a) for a in mine]))
    # Legacy feeds (still linked from old pages): 2023-era National and Business, one broken link form.
    for section, ct in ((SECTIONS[0], "102"), (SECTIONS[1], "103")):
        mine = [a for a in legacy if a["_section"] == section and a["layout"] == "2023"]
        links = [
            (f"{ROOT}/view.php?ud=/view.php?ud={a['article_id']}" if i == 0 else url_variant(a, i), a)
            for i, a in enumerate(mine)
        ]
        write(f"rss/legacy-{ct}.xml", rss(f"The Korea Herald - {section.name}", links))

    # Current section pages (cms), two pages each where there are enough articles.
    for section in SECTIONS:
        path = section.list_paths[0].lstrip("/")
        mine = [a for a in cms if a["_section"] == section]
        if section is SECTIONS[1]:  # Business lists the redirected legacy URL of one cms article
            mine = mine + [{**next(a for a in cms if a["article_id"] == REDIRECTED[1]), "article_id": REDIRECTED[0]}]
        for number, entries in enumerate(paged(mine), start=1):
            write(f"sections/current/{path}-{number}.html", current_page(path, entries, number, len(paged(mine))))

    # Legacy section lists (2012, 2017, 2023 pages), newest first, two pages.
    for section in SECTIONS:
        code = section.list_paths[1].split("ct=")[1]
        mine = [a for a in legacy if a["_section"] == section]
        if not mine:
            continue
        for number, entries in enumerate(paged(mine), start=1):
            write(f"sections/legacy/{code}-{number}.html", legacy_page(code, section.name, entries, number, len(paged(mine))))

    # Sitemaps: an index naming one archive urlset listing every legacy article, on the bare host.
    in_sitemap = legacy
    urls = "\n".join(
        f"  <url><loc>https://koreaherald.com/view.php?ud={a['article_id']}</loc>"
        f"<lastmod>{a['_shown']}</lastmod></url>"
        for a in in_sitemap
    )
    write("sitemaps/articles.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n'
          f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n')
    write("sitemaps/index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
          f"  <sitemap><loc>{ROOT}/sitemaps/articles.xml</loc></sitemap>\n</sitemapindex>\n")
    write("robots.txt", "User-agent: *\nDisallow: /search/\nDisallow: /member/\n\n"
          f"Sitemap: {ROOT}/sitemaps/index.xml\n")
    (SITE / "redirects.json").write_text(
        json.dumps({f"/view.php?ud={REDIRECTED[0]}": f"/article/{REDIRECTED[1]}"}, indent=2) + "\n", "utf-8"
    )


if __name__ == "__main__":
    main()
