"""The statistics as one self-contained HTML page: inline SVG bar charts, no script, no remote file.

Every value from the database passes through Jinja's autoescaping, so a headline or a
failure detail holding markup is shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import jinja2

from crawler.analysis.stats import COVERAGE_FIELDS, Stats, headline, per_day_title

CHART_WIDTH = 640  # px of the longest bar plus its label
ROW_HEIGHT = 20  # px per bar


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    y: int
    width: float


def chart(pairs: list[tuple[str, int]]) -> dict[str, object]:
    largest = max((value for _, value in pairs), default=0) or 1
    bars = [
        Bar(label=str(label), value=value, y=index * ROW_HEIGHT, width=(CHART_WIDTH - 260) * value / largest)
        for index, (label, value) in enumerate(pairs)
    ]
    return {"bars": bars, "height": max(len(bars), 1) * ROW_HEIGHT, "width": CHART_WIDTH}


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>newscrawl statistics: {{ database }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 14px; } td, th { padding: .2rem .6rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } tr:nth-child(even) { background: #f6f6f6; }
svg text { font: 12px system-ui, sans-serif; } .bar { fill: #3b6ea5; } .muted { color: #666; }
.url { word-break: break-all; }
</style>
</head>
<body>
<h1>newscrawl statistics</h1>
<p class="muted">{{ database }} · {{ generated }} · {{ headline }}</p>
{% macro barchart(name, data) -%}
<h2>{{ name }}</h2>
{% if data.bars %}
<svg role="img" aria-label="{{ name }}" width="{{ data.width }}" height="{{ data.height }}"
     viewBox="0 0 {{ data.width }} {{ data.height }}">
{% for bar in data.bars %}
<text x="0" y="{{ bar.y + 14 }}">{{ bar.label[:30] }}</text>
<rect class="bar" x="200" y="{{ bar.y + 3 }}" width="{{ '%.1f'|format(bar.width) }}" height="{{ 14 }}"><title>{{ bar.label }}: {{ bar.value }}</title></rect>
<text x="{{ '%.1f'|format(206 + bar.width) }}" y="{{ bar.y + 14 }}">{{ bar.value }}</text>
{% endfor %}
</svg>
{% else %}<p class="muted">none</p>{% endif %}
{%- endmacro %}
{{ barchart("Articles per site", charts.site) }}
{{ barchart("Articles per language", charts.language) }}
{{ barchart(per_day_title, charts.day) }}
<h2>Field coverage per site</h2>
<table>
<tr><th>site</th><th class="n">articles</th><th>first</th><th>last</th>{% for name in fields %}<th class="n">{{ name }}</th>{% endfor %}</tr>
{% for site in stats.coverage %}
<tr><td>{{ site.site }}</td><td class="n">{{ site.articles }}</td><td>{{ site.first_published or "" }}</td>
<td>{{ site.last_published or "" }}</td>{% for name in fields %}<td class="n">{{ "%.0f%%"|format(100 * site.shares[name]) }}</td>{% endfor %}</tr>
{% endfor %}
</table>
<h2>Latest runs</h2>
{% if stats.runs %}
<table>
<tr><th>run</th><th>started</th><th>spider</th><th>outcome</th><th class="n">pages</th><th class="n">new</th>
<th class="n">updated</th><th class="n">unchanged</th><th class="n">skipped</th><th class="n">failed</th></tr>
{% for run in stats.runs %}
<tr><td>#{{ run.id }}</td><td>{{ run.started_at }}</td><td>{{ run.spider }}</td><td>{{ run.outcome }}{% if run.degraded %}; DEGRADED {{ run.degraded }}{% endif %}</td>
<td class="n">{{ run.pages_fetched }}</td><td class="n">{{ run.articles_new }}</td><td class="n">{{ run.articles_updated }}</td>
<td class="n">{{ run.articles_unchanged }}</td><td class="n">{{ run.skipped }}</td><td class="n">{{ run.failed }}</td></tr>
{% endfor %}
</table>
{% else %}<p class="muted">none</p>{% endif %}
{{ barchart("Failures by reason", charts.failures) }}
<h2>Latest failures</h2>
{% if stats.failures %}
<table>
<tr><th>when</th><th>reason</th><th>HTTP</th><th>URL</th><th>detail</th></tr>
{% for f in stats.failures %}
<tr><td>{{ f.failed_at }}</td><td>{{ f.reason }}</td><td>{{ f.http_status or "" }}</td><td class="url">{{ f.url }}</td><td>{{ f.detail }}</td></tr>
{% endfor %}
</table>
{% else %}<p class="muted">none</p>{% endif %}
{% if archive %}<h2>Archive</h2>
<p>{{ archive }}</p>{% endif %}
</body>
</html>
"""

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_html(stats: Stats, *, database: str, archive: str | None = None) -> str:
    """The report page; ``archive``: what the WARC archive holds (``describe_archive``), as the terminal says it."""
    return _ENVIRONMENT.from_string(TEMPLATE).render(
        stats=stats,
        database=database,
        headline=headline(stats),
        archive=archive,
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        fields=COVERAGE_FIELDS,
        per_day_title=per_day_title(stats),
        charts={
            "site": chart(stats.per_site),
            "language": chart(stats.per_language),
            "day": chart(stats.per_day),
            "failures": chart(stats.failure_reasons),
        },
    )
