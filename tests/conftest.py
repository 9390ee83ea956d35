"""Fixtures every test gets: a private KAMDESK_HOME and an in-memory keyring."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest

from kamdesk.db.engine import Store
from tests.helpers.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def kamdesk_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("kamdesk_home")
    monkeypatch.setenv("KAMDESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# -- demo workspaces -------------------------------------------------------------------------
# Built once per test session (about 10 s), passphrase-protected so copies open without any
# keyring; each test that writes gets its own copy.

DEMO_TODAY = date(2026, 11, 23)  # a Monday; every demo fixture is anchored here


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.services.demo import build_demo_workspace

    keyring.set_keyring(MemoryKeyring())
    path = tmp_path_factory.mktemp("demo_template") / "demo.db"
    build_demo_workspace(path, accounts=300, seed=7, today=DEMO_TODAY, passphrase=DEMO_PASSPHRASE)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the 300-account demo workspace."""
    from kamdesk.db.keys import keyinfo_path

    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    shutil.copyfile(keyinfo_path(demo_template), keyinfo_path(target))
    return target


@pytest.fixture
def demo_store(demo_path: Path) -> Iterator[Store]:
    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.services.workspace import open_workspace

    store = open_workspace(demo_path, passphrase=DEMO_PASSPHRASE)
    yield store
    store.close()
