"""Whether the article is free to read, as the page declares it."""

from __future__ import annotations

from typing import Any

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.jsonld import as_list, main_objects

_TRUE = frozenset(("true", "yes", "1"))
_FALSE = frozenset(("false", "no", "0"))


def extract_free_access(doc: Document) -> bool | None:
    """True when the page says anyone may read it, False when it says a paywall or a meter
    stands in front of it, None when it says nothing.

    Order: JSON-LD ``isAccessibleForFree`` of the objects describing the page (the article, its
    web page), where a ``hasPart`` marked not free (Google's paywalled-content markup) makes the
    page not free; ``<meta itemprop=isAccessibleForFree>``; ``article:content_tier`` (``free``;
    ``locked`` or ``metered``). Paywall-named classes in the markup are no evidence: templates
    ship the paywall's markup on free articles too.
    """
    declared = [flag for obj in main_objects(doc) if (flag := _object_flag(obj)) is not None]
    if declared:
        return all(declared)
    for name in sel.META_FREE:
        for value in doc.meta.get(name, ()):
            if (flag := _flag(value)) is not None:
                return flag
    tier = (doc.meta_first(sel.META_CONTENT_TIER) or "").lower()
    return sel.CONTENT_TIERS.get(tier)


def _object_flag(obj: dict[str, Any]) -> bool | None:
    """The object's own flag, False when one of its parts is not free."""
    parts = [_flag(part.get("isAccessibleForFree")) for part in as_list(obj.get("hasPart")) if isinstance(part, dict)]
    if False in parts:
        return False
    return _flag(obj.get("isAccessibleForFree"))


def _flag(value: Any) -> bool | None:
    """A schema.org Boolean as pages write it: true/false, or the strings "True", "false", "yes"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        return True if text in _TRUE else False if text in _FALSE else None
    return None
