"""The article steps' composition: one order for every entry point, no Scrapy, one default per setting."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from crawler.article import STEPS, ArticleConfig, ArticlePipeline, page_steps, writer_steps
from crawler.article.clean import CleanText
from crawler.article.dedupe import Deduplicate
from crawler.items import FailedPage
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from tests.pipelines.helpers import article_item, article_steps, make_crawler

ROOT = Path(__file__).resolve().parents[2]


def test_the_article_package_imports_no_scrapy():
    code = "import sys, crawler.article; print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_workers_and_the_writer_split_the_one_order():
    assert page_steps() + writer_steps() == STEPS
    assert page_steps() and not any(step.writer for step in page_steps())
    assert writer_steps()[0].writer


def test_all_steps_make_a_row_and_batches_agree_with_one_at_a_time(tmp_path: Path):
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"))
    store = ArticleStore(open_database(tmp_path / "news.db"))
    results = []
    for batched in (False, True):
        pipeline = ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats)
        pipeline.open(store)
        items = [article_item(1), article_item(2), article_item(1, path="/a/1.html?utm_source=x")]
        results.append(pipeline.process_batch(items, None) if batched else [pipeline.process(i) for i in items])
        pipeline.close(store)
    one, batch = results
    assert [type(result) for result in one] == [ArticleRow, ArticleRow, FailedPage]
    assert one[2].reason == "duplicate_url"
    assert one == batch
    assert one[0].summary and one[0].content_hash and one[0].url == "http://news.test/a/1.html"


def test_a_failed_page_passes_through_untouched():
    failure = FailedPage(url="http://news.test/x", reason="http_404")
    assert article_steps(CleanText, Deduplicate).process(failure) is failure


def _repeated_defaults(path: Path) -> list[str]:
    """settings.get*("NAME", default) calls: a default given again outside crawler/settings.py."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "getint", "getfloat", "getbool", "getlist", "getdict")
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.isupper()
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    return found


def test_every_setting_has_its_default_only_in_the_settings_module():
    sources = [path for package in ("crawler", "pipelines", "spiders") for path in (ROOT / package).rglob("*.py")]
    repeated = [hit for path in sources if path.name != "settings.py" for hit in _repeated_defaults(path)]
    assert repeated == []
