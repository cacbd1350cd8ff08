"""One article as plain text or Markdown, for `newscrawl parse --format` and `newscrawl show --format`.

Both take a mapping with the article's fields (a stored row or a parse result): ``title``,
``published_at``, ``modified_at``, ``authors`` (a list), ``site_name``, ``language``,
``url`` (or ``canonical_url``), ``summary``, ``body``, ``prev_url`` / ``prev_title``,
``next_url`` / ``next_title``. Missing or empty fields are left out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from crawler.analysis.terminal import printable

FORMATS = ("json", "text", "markdown")
WRAP = 88  # characters per line of text output


def _url(article: Mapping[str, Any]) -> str | None:
    return article.get("canonical_url") or article.get("url")


def _byline(article: Mapping[str, Any]) -> list[tuple[str, str]]:
    fields = [
        ("Published", article.get("published_at")),
        ("Modified", article.get("modified_at")),
        ("Authors", ", ".join(article.get("authors") or [])),
        ("Site", article.get("site_name") or article.get("site")),
        ("Language", article.get("language")),
        ("URL", _url(article)),
    ]
    return [(label, printable(str(value))) for label, value in fields if value]


def _neighbours(article: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for label, key in (("Previous", "prev"), ("Next", "next")):
        if url := article.get(f"{key}_url"):
            found.append((label, printable(article.get(f"{key}_title") or url), printable(url)))
    return found


def as_text(article: Mapping[str, Any]) -> str:
    """Plain text: the title, a field per line, the summary and the body wrapped, the neighbours."""
    lines = [printable(article.get("title") or "(no title)"), ""]
    lines += [f"{label + ':':<11}{value}" for label, value in _byline(article)]
    if article.get("summary"):
        lines += ["", "Summary", *textwrap.wrap(printable(article["summary"]), WRAP)]
    for paragraph in printable(article.get("body") or "").split("\n\n"):
        if paragraph.strip():
            lines += ["", *textwrap.wrap(paragraph, WRAP)]
    if neighbours := _neighbours(article):
        lines.append("")
        lines += [f"{label + ':':<11}{title} <{url}>" for label, title, url in neighbours]
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    """Text with the characters Markdown would read as markup escaped."""
    escaped = printable(text)
    for char in "\\`*_[]<>#|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def as_markdown(article: Mapping[str, Any]) -> str:
    """Markdown: a heading, the fields as a list, the summary quoted, the body's paragraphs, the neighbours as links."""
    lines = [f"# {_markdown_text(article.get('title') or '(no title)')}", ""]
    for label, value in _byline(article):
        value = f"<{value}>" if label == "URL" else _markdown_text(value)
        lines.append(f"- **{label}:** {value}")
    if article.get("summary"):
        lines += ["", f"> {_markdown_text(article['summary'])}"]
    for paragraph in (article.get("body") or "").split("\n\n"):
        if paragraph.strip():
            lines += ["", _markdown_text(" ".join(paragraph.split()))]
    if neighbours := _neighbours(article):
        lines.append("")
        lines += [f"- {label}: [{_markdown_text(title)}](<{url}>)" for label, title, url in neighbours]
    return "\n".join(lines) + "\n"
