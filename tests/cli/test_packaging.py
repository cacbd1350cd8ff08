"""What `pip install .` and Scrapyd's egg ship: every package of the source tree.

pyproject.toml lists the packages by name (the top-level ones share names with PyPI
projects), so a new subpackage left out of the list is missing from wheels and eggs while
the editable install of development and CI still finds it in the source tree.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = ("crawler", "spiders", "pipelines", "bench")


def _source_packages() -> set[str]:
    found = set()
    for top in TOP_LEVEL:
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    return found


def test_every_source_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    assert _source_packages() - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - _source_packages() == set(), "these listed packages are not in the tree"


def test_no_module_sits_in_a_folder_without_init() -> None:
    """A folder of modules without __init__.py is a namespace package the list cannot name."""
    orphans = sorted(
        str(folder.relative_to(ROOT))
        for top in TOP_LEVEL
        for folder in (ROOT / top).rglob("*")
        if folder.is_dir() and folder.name != "__pycache__"
        and any(folder.glob("*.py")) and not (folder / "__init__.py").exists()
    )
    assert orphans == []
