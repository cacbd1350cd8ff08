from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from crawler.datasette import plugin
from crawler.datasette.metadata import build_metadata
from crawler.datasette.templates import write_templates
from tests.analysis.fixtures import build_database


@pytest.fixture(scope="session")
def analysis_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database, built once; tests only read it."""
    return build_database(tmp_path_factory.mktemp("analysis") / "news.db")


@pytest.fixture(scope="session")
def datasette(analysis_db: Path) -> Datasette:
    """Datasette with the newscrawl metadata, plugin and templates over the fixture database, in process."""
    if not pm.is_registered(plugin):
        pm.register(plugin, name="newscrawl")
    templates = write_templates(analysis_db.parent / "templates", analysis_db.stem)
    return Datasette([str(analysis_db)], metadata=build_metadata(analysis_db.stem), template_dir=str(templates))
