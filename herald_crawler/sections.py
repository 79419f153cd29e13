"""The site's sections: their names, feeds and list pages, current and legacy (shared notes, section 3).

Each section lists its sources per channel in the order they are tried: the current form first, the legacy
form when the current one answers an error or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    aliases: tuple[str, ...]
    feeds: tuple[str, ...]  # current first, then legacy
    list_paths: tuple[str, ...]  # first page of each list form, current first

    def legacy_list_page(self, page: int) -> str | None:
        for path in self.list_paths:
            if path.startswith("/list.php"):
                return f"{path}&np={page}"
        return None


def _legacy(code: str) -> str:
    return f"/list.php?ct={code}"


SECTIONS: tuple[Section, ...] = (
    Section("National", (), ("/rss/kh_National", "/common/rss_xml.php?ct=102"),
            ("/National", _legacy("020100000000"))),
    Section("Business", (), ("/rss/kh_Business", "/common/rss_xml.php?ct=103"),
            ("/Business", _legacy("020200000000"))),
    Section("Life&Culture", ("LifenCulture", "LifeCulture", "Life & Culture", "Culture", "Life", "Life&Style",
                             "Life & Style"),
            ("/rss/kh_LifenCulture", "/rss/kh_LifeCulture", "/common/rss_xml.php?ct=104"),
            ("/Culture", _legacy("020300000000"))),
    Section("Entertainment", ("K-pop", "Kpop", "Kpop&Entertainment"),
            ("/rss/kh_Kpop", "/common/rss_xml.php?ct=105"),
            ("/Entertainment", _legacy("020400000000"))),
    Section("Sports", (), ("/rss/kh_Sports", "/common/rss_xml.php?ct=106"),
            ("/Sports", _legacy("020500000000"))),
    Section("World", (), ("/rss/kh_World", "/common/rss_xml.php?ct=107"),
            ("/World", _legacy("021200000000"))),
    Section("Opinion", (), ("/rss/kh_Opinion", "/common/rss_xml.php?ct=108"),
            ("/Opinion", _legacy("020600000000"))),
)

#: The feed of every section at once (about 50 newest items), tried before the section feeds.
ALL_NEWS_FEEDS: tuple[str, ...] = ("/rss/newsAll",)

_BY_KEY = {key.lower().replace(" ", ""): s for s in SECTIONS for key in (s.name, *s.aliases)}


def accepted_names() -> str:
    return ", ".join(s.name for s in SECTIONS)


def find_sections(value: str) -> tuple[Section, ...]:
    """Sections named in a comma-separated ``value`` (case and spaces ignored, aliases accepted).

    Raises ValueError naming the unknown name and the accepted ones.
    """
    chosen: list[Section] = []
    for raw in value.split(","):
        key = raw.strip().lower().replace(" ", "")
        if not key:
            continue
        section = _BY_KEY.get(key)
        if section is None:
            raise ValueError(f"unknown section {raw.strip()!r}: accepted are {accepted_names()}")
        if section not in chosen:
            chosen.append(section)
    if not chosen:
        raise ValueError(f"sections={value!r} names no section: accepted are {accepted_names()}")
    return tuple(chosen)


#: Legacy list codes (``list.php?ct=<code>``) and the section trail each names (shared notes, section 3).
SECTION_CODES: dict[str, tuple[str, str | None]] = {
    "020100000000": ("National", None),
    "020101000000": ("National", "Politics"),
    "020102000000": ("National", "Social Affairs"),
    "020103000000": ("National", "Foreign Affairs"),
    "020104000000": ("National", "North Korea"),
    "020106000000": ("National", "Defense"),
    "020107000000": ("National", "Science"),
    "020109000000": ("National", "Education"),
    "020200000000": ("Business", None),
    "020201000000": ("Business", "Economy"),
    "020202000000": ("Business", "Finance"),
    "020203000000": ("Business", "Industry"),
    "020206000000": ("Business", "Technology"),
    "020300000000": ("Life & Style", None),
    "020400000000": ("Entertainment", None),
    "020500000000": ("Sports", None),
    "021200000000": ("World", None),
    "020600000000": ("Opinion", None),
    "020601000000": ("Opinion", "Editorial"),
}


def section_of_code(code: str) -> tuple[str, str | None] | None:
    """The (section, subsection) a legacy list code names; an unknown subsection code gives its section."""
    if code in SECTION_CODES:
        return SECTION_CODES[code]
    parent = SECTION_CODES.get(code[:4] + "00000000")
    return (parent[0], None) if parent else None


def known_section(name: str) -> str | None:
    """The section a menu label names (any spelling the site used), or None."""
    section = _BY_KEY.get(name.strip().lower().replace(" ", ""))
    return section.name if section else None
