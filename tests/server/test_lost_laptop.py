"""A lost laptop, end to end, with the commands the README gives.

The administrator revokes the user's devices (``kamdesk server user revoke-devices``): the lost
laptop's device id can no longer sign in. The manager restores a backup on a new laptop with the
written-down recovery key (``kamdesk backup restore FILE --new-device``): the data comes back,
the workspace gets a new device id, and that one signs in.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import keyring
import pytest
from fastapi.testclient import TestClient

from kamdesk.cli import main as kamdesk_main
from kamdesk.db import keys
from kamdesk.db.engine import open_store
from kamdesk.db.models import Territory
from kamdesk.server.cli import main as server_main
from kamdesk.services.backup import BackupService
from kamdesk.services.outbox import SYNC_APPLY_KEY
from kamdesk.services.workspace import create_workspace
from kamdesk.sync import state
from tests.helpers.memory_keyring import MemoryKeyring
from tests.server.conftest import PASSWORD, Team


def _client_id(path: Path) -> str:
    store = open_store(path, keys.load_key(path))
    try:
        with store.session() as session:
            return state.client_id(session)
    finally:
        store.close()


def _login(client: TestClient, client_id: str) -> tuple[int, str]:
    response = client.post(
        "/v1/auth/login",
        json={"username": "mgr1", "password": PASSWORD, "client_id": client_id},
    )
    code = response.json().get("detail", {}).get("code", "") if response.status_code != 200 else ""
    return response.status_code, code


def _cli(main: object, *argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0  # type: ignore[operator]
    return out.getvalue()


@pytest.mark.parametrize("new_device", [True, False])
def test_revoke_then_restore_on_a_new_laptop(
    new_device: bool,
    client: TestClient,
    team: Team,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the old laptop: a keyring workspace with some data, signed in, backed up to a USB stick
    old = tmp_path / "old" / "kamdesk.db"
    store = create_workspace(old)
    with store.session() as session:
        session.info[SYNC_APPLY_KEY] = True  # as if pulled from the server
        session.add(Territory(id="T9", code="T9", name="备份片区", srv_seq=1))
    store.close()
    old_device = _client_id(old)
    assert _login(client, old_device) == (200, "")
    backups = BackupService.for_workspace(old, backup_dir=tmp_path / "usb")
    backup = backups.create().path
    recovery_key = backups.export_recovery_key()

    # the laptop is lost: the administrator revokes the user's devices and tokens
    out = _cli(server_main, "user", "revoke-devices", "mgr1", "--data", str(data_dir))
    assert out.startswith("revoked 1 device(s) and 1 refresh token(s) of mgr1")
    assert _login(client, old_device) == (403, "auth.client_revoked")

    # a new laptop: an empty keyring, the backup and the written-down recovery key
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("KAMDESK_RECOVERY_KEY", recovery_key)
    new = tmp_path / "new" / "kamdesk.db"
    argv = ["backup", "restore", str(backup), "--path", str(new)]
    result = json.loads(_cli(kamdesk_main, *argv, *(["--new-device"] if new_device else [])))
    assert result["database"] == str(new)
    restored = open_store(new, keys.load_key(new))
    with restored.session() as session:
        assert session.get(Territory, "T9") is not None  # the data came back
    restored.close()
    device = _client_id(new)
    if new_device:
        assert result["new_device_id"] == device != old_device
        assert _login(client, device) == (200, "")
    else:  # the restored copy is still the revoked device: why --new-device exists
        assert device == old_device
        assert _login(client, device) == (403, "auth.client_revoked")
