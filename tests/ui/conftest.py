"""Qt runs offscreen; background tasks run inline so tests are deterministic."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def inline_tasks() -> Iterator[None]:
    from kamdesk.ui.tasks import TaskRunner

    TaskRunner.inline = True
    yield
    TaskRunner.inline = False


@pytest.fixture(autouse=True)
def _fonts_loaded(qapp: object) -> None:
    from kamdesk.ui.resources import load_fonts

    load_fonts(qapp)  # type: ignore[arg-type]
