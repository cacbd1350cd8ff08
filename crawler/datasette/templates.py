"""Templates `newscrawl serve` adds to Datasette: an article's row page laid out for reading.

Datasette picks ``_table-row-<database>-articles.html`` for the row page of ``articles``
only; table pages keep Datasette's own layout. Empty fields are left out, and so is
``published_relative`` when it is 0 (a date the page wrote as a date); a neighbour's check
follows its link. Cell values arrive already escaped (or as the plugin's links, or in words:
``plugin.IN_WORDS``), so nothing scraped is rendered as HTML.
"""

from __future__ import annotations

from pathlib import Path

import datasette
from datasette.utils import to_css_class

# Fields in reading order; any other column follows in table order.
READING_ORDER = (
    "title", "published_at", "published_relative", "modified_at", "authors", "site", "site_name", "language",
    "keywords", "free_to_read", "article_uncertain", "image_url", "summary", "prev_url", "prev_check", "next_url", "next_check", "url",
    "body",
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
{% for name in reading_order if name in names and row[name] not in (none, "", "[]")
   and not (name == "published_relative" and row[name] == 0) %}
  <dt>{{ name }}</dt><dd class="col-{{ name }}">{% if name == "body" %}{{ row[name] }}{% else %}{{ row.display(name) }}{% endif %}</dd>
{% endfor %}
{% for cell in row if cell.column not in reading_order and cell.raw not in (none, "", "[]") %}
  <dt>{{ cell.column }}</dt><dd class="col-{{ cell.column }}">{{ cell.value }}</dd>
{% endfor %}
</dl>
"""


TABLE_STYLE = """<style>
.rows-and-columns td.col-title { min-width: 16em; }
.rows-and-columns td.col-body, .rows-and-columns td.col-summary, .rows-and-columns td.col-description { min-width: 24em; }
.rows-and-columns td.col-url, .rows-and-columns td.col-prev_url, .rows-and-columns td.col-next_url { min-width: 18em; overflow-wrap: anywhere; }
details.column-help { margin-top: 1.5em; }
</style>"""
DEFAULT_SQL = (
    "select id, published_at, site, title, summary, url\nfrom articles\norder by published_at desc\nlimit 50"
)
_COLUMN_HELP_START = "{% if metadata.columns %}\n<dl class=\"column-descriptions\">"
_COLUMN_HELP_END = "</dl>\n{% endif %}\n"
DATASETTE_DEFAULT_SQL = (
    "{% if tables %}select * from {{ tables[0].name|escape_sqlite }}{% else %}select sqlite_version(){% endif %}"
)


def _datasette_template(name: str) -> str:
    return (Path(datasette.__file__).parent / "templates" / name).read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str, *, template: str) -> str:
    if text.count(old) != 1:
        raise RuntimeError(f"Datasette's {template} has changed: cannot adapt it for newscrawl")
    return text.replace(old, new)


def derived_templates() -> dict[str, str]:
    """Datasette's table and database templates with newscrawl's one change each: name -> text."""
    table = _datasette_template("table.html")
    start = table.find(_COLUMN_HELP_START)
    end = table.find(_COLUMN_HELP_END, start)
    if start < 0 or end < 0:
        raise RuntimeError("Datasette's table.html has changed: cannot adapt it for newscrawl")
    help_block = table[start : end + len(_COLUMN_HELP_END)]
    folded = help_block.replace(
        '<dl class="column-descriptions">',
        '<details class="column-help"><summary>What the columns hold</summary>\n<dl class="column-descriptions">',
    ).replace("</dl>", "</dl></details>")
    table = table[:start] + table[end + len(_COLUMN_HELP_END) :]
    last_block_end = table.rfind("{% endblock %}")
    table = table[:last_block_end] + folded + table[last_block_end:]
    # The search box sends _fts, which the plugin turns into a plan that stays fast at scale,
    # and _nocount: counting a common word's matches reads a whole index (80 ms of CPU at
    # 200,000 articles); the plugin's description says how many match, up to a bound.
    table = _replace_once(
        table, 'name="_search" value="{{ search }}">',
        'name="_fts" value="{{ search }}"><input type="hidden" name="_nocount" value="1">', template="table.html",
    )
    # Facets are skipped for a search matching too many articles to count (crawler/datasette/facets.py).
    table = _replace_once(table, "These facets timed out:", "Not counted (too many rows to count quickly):", template="table.html")
    table = _replace_once(table, "{% block extra_head %}", "{% block extra_head %}\n" + TABLE_STYLE, template="table.html")
    database = _replace_once(_datasette_template("database.html"), DATASETTE_DEFAULT_SQL, DEFAULT_SQL, template="database.html")
    return {"table": table, "database": database}


def write_templates(directory: Path, database: str) -> Path:
    """Write the templates for a database served as ``database`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    name = to_css_class(database)
    order = "{% set reading_order = " + repr(list(READING_ORDER)) + " %}\n"
    (directory / f"_table-row-{name}-articles.html").write_text(order + ARTICLE_ROW, encoding="utf-8")
    derived = derived_templates()
    (directory / f"table-{name}-articles.html").write_text(derived["table"], encoding="utf-8")
    (directory / f"database-{name}.html").write_text(derived["database"], encoding="utf-8")
    return directory
