"""Write data/demo_site/README.md from the ground truth, so the tables never drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.demo.content import TEMPLATES_DIR
from crawler.demo.generate import environment


def write_readme(expected: dict[str, Any], path: Path, *, templates_dir: Path = TEMPLATES_DIR) -> None:
    extra_articles = [a for a in _extra_truth()["articles"] if a["extra"]]
    text = environment(templates_dir).get_template("README.md.j2").render(
        expected=expected, extra_articles=extra_articles)
    path.write_text(text, encoding="utf-8")


def _extra_truth() -> dict[str, Any]:
    import tempfile

    from crawler.demo.generate import build_site

    with tempfile.TemporaryDirectory() as tmp:
        return build_site(Path(tmp), extra=True)
