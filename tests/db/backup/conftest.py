"""A small passphrase-protected workspace, built once per module and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest

from kamdesk.db import keys
from tests.helpers.memory_keyring import MemoryKeyring

PASSPHRASE = "backup-test-passphrase"


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdesk.services.demo import build_demo_workspace

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    path = tmp_path_factory.mktemp("backup_template") / "kamdesk.db"
    build_demo_workspace(path, accounts=6, seed=3, passphrase=PASSPHRASE)
    keyring.set_keyring(previous)
    return path


@pytest.fixture
def workspace(small_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws" / "kamdesk.db"
    target.parent.mkdir()
    shutil.copyfile(small_template, target)
    shutil.copyfile(keys.keyinfo_path(small_template), keys.keyinfo_path(target))
    return target


@pytest.fixture
def workspace_key(workspace: Path) -> bytes:
    return keys.load_key(workspace, PASSPHRASE)
