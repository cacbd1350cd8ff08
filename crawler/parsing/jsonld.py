"""Reading a page's JSON-LD: which objects describe the page, and their types."""

from __future__ import annotations

from typing import Any

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def jsonld_types(obj: dict[str, Any]) -> set[str]:
    """The object's @type values, lower case, without a schema.org prefix."""
    types = set()
    for entry in as_list(obj.get("@type")):
        if isinstance(entry, str):
            types.add(entry.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower())
    return types


def page_types(doc: Document) -> set[str]:
    """Every @type on the page."""
    types: set[str] = set()
    for obj in doc.json_ld:
        types |= jsonld_types(obj)
    return types


def main_objects(doc: Document) -> tuple[dict[str, Any], ...]:
    """JSON-LD objects describing this page: article types first (including the article a
    web page names as its ``mainEntity``), then web-page types. Read once per page (the date,
    title, author, image, keyword, access and metadata readers each ask)."""
    return doc.derived("main_objects", _main_objects)


def _main_objects(doc: Document) -> tuple[dict[str, Any], ...]:
    articles = [obj for obj in doc.json_ld if jsonld_types(obj) & sel.ARTICLE_TYPES]
    pages = [obj for obj in doc.json_ld if jsonld_types(obj) & sel.PAGE_TYPES]
    for page in pages:
        for entity in as_list(page.get("mainEntity")):
            if isinstance(entity, dict) and jsonld_types(entity) & sel.ARTICLE_TYPES:
                articles.append(entity)
    return (*articles, *pages)
