import gzip
import json

from click.testing import CliRunner

from crawler.cli import cli

from .helpers import URL, article_body, html

PAGE = html("<h1>Harbour reopens</h1><p>By Jane Roe</p>" + article_body(8), head="<title>Harbour reopens | Coast</title>")


def test_parse_one_gzipped_page(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    result = CliRunner().invoke(cli, ["parse", str(path), "--url", URL])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["title"], data["url"], data["authors"]) == ("Harbour reopens", URL, ["Jane Roe"])
    assert list(data) == sorted(data)


def test_batch_prints_one_line_per_page_in_order(tmp_path):
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.html").write_text(PAGE.replace("Harbour", "Airport"))
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(
        json.dumps({"path": "a.html", "url": URL}) + "\n" + json.dumps({"path": "b.html", "url": URL + "b"}) + "\n"
    )
    result = CliRunner().invoke(cli, ["parse", "--batch", str(manifest)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["title"] for line in lines] == ["Harbour reopens", "Airport reopens"]
    for key in ("url", "is_article", "title", "body", "published_at", "modified_at", "authors", "language", "prev_url", "next_url"):
        assert key in lines[0]


def test_batch_reports_a_missing_file_and_goes_on(tmp_path):
    (tmp_path / "a.html").write_text(PAGE)
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"path": "missing.html", "url": URL}) + "\n" + json.dumps({"path": "a.html", "url": URL}) + "\n")
    result = CliRunner().invoke(cli, ["parse", "--batch", str(manifest)])
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["line"] == 1 and "error" in first
    assert second["title"] == "Harbour reopens"


def test_path_or_batch_is_required():
    result = CliRunner().invoke(cli, ["parse"])
    assert result.exit_code != 0
    assert "PATH or --batch" in result.output


LINKED = html(
    "<h1>Harbour reopens</h1><p>By Jane Roe</p>" + article_body(8)
    + '<a rel="prev" href="/2025/09/10/older.html">Older story</a><a rel="next" href="/2025/09/12/newer.html">Newer story</a>',
    head='<title>Harbour reopens</title><link rel="canonical" href="https://coast.example/2025/09/11/harbour.html">',
)


def test_without_url_links_resolve_against_the_canonical_url(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(LINKED, encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["prev_url"] == "https://coast.example/2025/09/10/older.html"
    assert data["next_url"] == "https://coast.example/2025/09/12/newer.html"
    assert "canonical URL" in result.stderr


def test_without_url_or_canonical_the_user_is_told_what_is_missing(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(LINKED.replace('<link rel="canonical" href="https://coast.example/2025/09/11/harbour.html">', ""), encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["prev_url"] is None
    assert "Pass --url" in result.stderr


def test_url_without_a_scheme_is_refused(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    for url in ("news.example/a.html", "ftp://news.example/a.html", "https://"):
        result = CliRunner().invoke(cli, ["parse", str(path), "--url", url])
        assert result.exit_code == 2 and "absolute http(s) URL" in result.output, url


def test_standard_input_and_the_text_and_markdown_formats(tmp_path):
    page = gzip.compress(LINKED.encode())
    result = CliRunner().invoke(cli, ["parse", "-", "--url", URL], input=page)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Harbour reopens"
    text = CliRunner().invoke(cli, ["parse", "-", "--format", "text"], input=LINKED.encode()).stdout
    assert text.startswith("Harbour reopens\n") and "Authors:   Jane Roe" in text and "Previous:  story <https://coast.example/2025/09/10/older.html>" in text
    markdown = CliRunner().invoke(cli, ["parse", "-", "--format", "markdown"], input=LINKED.encode()).stdout
    assert markdown.startswith("# Harbour reopens\n") and "- **Authors:** Jane Roe" in markdown
    assert "- Previous: [story](<https://coast.example/2025/09/10/older.html>)" in markdown
