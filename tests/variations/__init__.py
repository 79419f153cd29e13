"""Markup-variation suite: every gold page rewritten the ways real CMS output varies, with derived truth.

- ``families``: the variation families (``FAMILIES``: name -> function) and the ``Variant`` they return;
- ``page``: loading the gold pages (mirror and independent sets) and locating things in their markup;
- ``markup``: the offset-keeping HTML reader the families edit with;
- ``runner``: running variants through ``herald_crawler.offline.article_from_response`` and scoring them.
"""

from tests.variations.families import FAMILIES, NotApplicable, Variant, generate, generate_all

__all__ = ["FAMILIES", "NotApplicable", "Variant", "generate", "generate_all"]
