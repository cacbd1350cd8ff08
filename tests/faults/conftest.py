from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FaultServer


@pytest.fixture(scope="module")
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server
