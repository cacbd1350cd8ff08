from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FaultServer


@pytest.fixture(scope="session")
def fault_server() -> Iterator[FaultServer]:
    """One server for the session: tests name distinct paths, or count hits from a mark."""
    with FaultServer() as server:
        yield server
