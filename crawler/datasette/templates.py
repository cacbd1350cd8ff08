"""Templates `newscrawl serve` adds to Datasette: an article's row page laid out for reading.

Datasette picks ``_table-row-<database>-articles.html`` for the row page of ``articles``
only; table pages keep Datasette's own layout. Empty fields are left out. Cell values arrive already escaped (or as
the plugin's links), so nothing scraped is rendered as HTML.
"""

from __future__ import annotations

from pathlib import Path

from datasette.utils import to_css_class

# Fields in reading order; any other column follows in table order.
READING_ORDER = (
    "title", "published_at", "modified_at", "authors", "site", "site_name", "language",
    "keywords", "free_to_read", "image_url", "summary", "prev_url", "next_url", "url", "body",
)

ARTICLE_ROW = """\
<style>
.newscrawl-article { max-width: 48rem; }
.newscrawl-article dt { font-weight: bold; margin-top: .8rem; color: #555; }
.newscrawl-article dd { margin: .2rem 0 0 0; white-space: pre-wrap; }
.newscrawl-article dd.col-title { font-size: 1.4rem; white-space: normal; }
</style>
{% set row = display_rows[0] %}
{% set names = row | map(attribute="column") | list %}
<dl class="newscrawl-article">
{% for name in reading_order if name in names and row[name] not in (none, "") %}
  <dt>{{ name }}</dt><dd class="col-{{ name }}">{{ row.display(name) }}</dd>
{% endfor %}
{% for cell in row if cell.column not in reading_order and cell.raw not in (none, "") %}
  <dt>{{ cell.column }}</dt><dd class="col-{{ cell.column }}">{{ cell.value }}</dd>
{% endfor %}
</dl>
"""


def write_templates(directory: Path, database: str) -> Path:
    """Write the templates for a database served as ``database`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    order = "{% set reading_order = " + repr(list(READING_ORDER)) + " %}\n"
    (directory / f"_table-row-{to_css_class(database)}-articles.html").write_text(order + ARTICLE_ROW, encoding="utf-8")
    return directory
