from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.fixtures import build_database


@pytest.fixture(scope="session")
def analysis_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database, built once; tests only read it."""
    return build_database(tmp_path_factory.mktemp("analysis") / "news.db")
