"""One engine run over the demo template, shared by the advice tests (about 3 s to compute).

Every private copy of the template has the same data version, so a service on a copy can
``adopt`` this run instead of computing it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kamdesk.db.engine import Store
from kamdesk.services.advice import AdviceService, EngineRun
from tests.conftest import DEMO_TODAY


@pytest.fixture(scope="session")
def template_store(demo_template: Path) -> Iterator[Store]:
    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.services.workspace import open_workspace

    store = open_workspace(demo_template, passphrase=DEMO_PASSPHRASE)
    yield store
    store.close()


@pytest.fixture(scope="session")
def template_run(template_store: Store) -> EngineRun:
    return AdviceService(template_store, clock=lambda: DEMO_TODAY).run(DEMO_TODAY)


@pytest.fixture
def advice_service(demo_store: Store, template_run: EngineRun) -> AdviceService:
    """A service on a private writable copy, primed with the shared run."""
    service = AdviceService(demo_store, clock=lambda: DEMO_TODAY)
    service.adopt(template_run)
    return service


@pytest.fixture
def read_service(template_store: Store, template_run: EngineRun) -> AdviceService:
    """A service on the shared template, for tests that write nothing."""
    service = AdviceService(template_store, clock=lambda: DEMO_TODAY)
    service.adopt(template_run)
    return service
