"""`newscrawl stats`: text with bar charts, and the self-contained HTML page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crawler.analysis.stats import bars
from crawler.cli import cli


def test_text_report(analysis_db: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--db", str(analysis_db)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "6 articles on 2 sites (1 without a date)" in out
    assert re.search(r"river\.example\s+█+ 4", out)
    assert re.search(r"de\s+█+ 2", out)
    assert re.search(r"2025-03-04\s+█+ 2", out)
    assert re.search(r"river\.example\s+4\s+100%\s+75%\s+100%\s+100%", out)  # date, authors, prev/next, summary
    assert re.search(r"berg\.example\s+2\s+50%\s+50%\s+100%\s+100%", out)
    assert "#1 2025-03-10T12:00:00+00:00 article partial: 8 pages, 6 new" in out
    assert re.search(r"http_404\s+█+ 1", out)
    assert "not_article https://river.example/section/" in out


def test_filters_apply(analysis_db: Path) -> None:
    out = CliRunner().invoke(cli, ["stats", "--site", "berg.example", "--db", str(analysis_db)]).output
    assert "2 articles on 1 site (" in out and "river.example  " not in out


def test_bars_scale_to_the_largest() -> None:
    lines = bars([("a", 10), ("b", 5), ("c", 0)], width=10)
    assert lines[0].count("█") == 10 and lines[1].count("█") == 5 and "█" not in lines[2]
    assert bars([]) == ["  (none)"]


def test_html_report_is_self_contained_and_escaped(analysis_db: Path, tmp_path: Path) -> None:
    report = tmp_path / "sub" / "report.html"
    result = CliRunner().invoke(cli, ["stats", "--html", str(report), "--db", str(analysis_db)])
    assert result.exit_code == 0, result.output
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and page.count('class="bar"') >= 8
    assert "river.example" in page and "http_404" in page
    # No script, no remote resource: the page works offline and runs nothing.
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "default-src 'none'" in page


def test_html_escapes_scraped_text(analysis_db: Path, tmp_path: Path) -> None:
    from crawler.analysis.report import render_html
    from crawler.analysis.stats import Stats

    stats = Stats(
        articles=1, per_site=[("<b>x</b>", 1)], per_language=[], per_day=[], undated=0, coverage=[],
        failures=[{"failed_at": "t", "reason": "r", "http_status": None, "url": "u", "detail": "<script>alert(1)</script>"}],
    )
    page = render_html(stats, database="<i>db</i>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page and "<i>db</i>" not in page


def test_per_day_chart_shows_empty_days() -> None:
    from crawler.analysis.stats import calendar

    days = calendar([("2025-03-01", 2), ("2025-03-04", 1), ("not-a-day", 5)], 5)
    assert days == [("2025-02-28", 0), ("2025-03-01", 2), ("2025-03-02", 0), ("2025-03-03", 0), ("2025-03-04", 1)]
    assert calendar([], 30) == []


def test_counts_table_and_article_scan_agree(analysis_db: Path, monkeypatch) -> None:
    from crawler.analysis.query import Filters
    from crawler.analysis.stats import collect
    from crawler.storage import open_database

    db = open_database(analysis_db, create=False)
    cases = [Filters(), Filters(sites=("river.example",)), Filters(language="de"),
             Filters(since=date(2025, 3, 4), until=date(2025, 3, 5))]
    from_counts = [collect(db, filters, days=10) for filters in cases]
    monkeypatch.setattr(Filters, "counts_where", lambda self, alias="c": None)
    from_scan = [collect(db, filters, days=10) for filters in cases]
    for counted, scanned in zip(from_counts, from_scan):
        assert (counted.articles, counted.per_site, counted.per_language, counted.per_day, counted.undated) == (
            scanned.articles, scanned.per_site, scanned.per_language, scanned.per_day, scanned.undated)
        assert [(c.site, c.shares) for c in counted.coverage] == [(c.site, c.shares) for c in scanned.coverage]


def test_the_per_day_chart_says_how_many_articles_it_leaves_out() -> None:
    """The demo's report showed 13 one-article days under '39 articles' with nothing to say that
    the other sites' articles are older than the 30 days shown."""
    from crawler.analysis.stats import Stats, per_day_title

    days = [("2025-09-24", 1), ("2025-09-25", 12)]
    older = Stats(articles=40, per_site=[], per_language=[], per_day=days, undated=1, coverage=[])
    assert per_day_title(older).endswith("the newest article's: 13 of the 40 articles)")
    everything = Stats(articles=14, per_site=[], per_language=[], per_day=days, undated=1, coverage=[])
    assert per_day_title(everything).endswith("the newest article's)")
