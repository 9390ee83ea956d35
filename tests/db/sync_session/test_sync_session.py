"""Sign-in against a real in-process server: tokens only in the keyring, errors by code,
refresh on 401, sign-out, and a sync round between two workspaces."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from kamdesk.db.models import Account
from kamdesk.services.sync_session import (
    KEYRING_SERVICE,
    SignInError,
    SyncSession,
    list_issues,
    normalise_url,
)
from kamdesk.settings import Settings, load_settings, save_settings
from kamdesk.sync.errors import AuthRequiredError
from tests.db.sync_session.fixtures import SERVER_URL, Workspaces, field_conflict
from tests.helpers.memory_keyring import MemoryKeyring
from tests.server.conftest import PASSWORD, FakeClock
from tests.sync import local_ops


def _files_containing(root: Path, needle: str) -> list[Path]:
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]


def test_sign_in_keeps_tokens_only_in_the_keyring(
    workspaces: Workspaces, memory_keyring: MemoryKeyring, kamdesk_home: Path, tmp_path: Path
) -> None:
    session = workspaces.session()
    user = session.sign_in(SERVER_URL, "mgr1", "correct horse 1")
    save_settings(session.settings)
    assert (user.username, user.role) == ("mgr1", "manager")
    assert session.signed_in() and session.user() == user
    access, refresh = session.access_token(), session._vault().load()["refresh"]
    assert access and refresh
    entries = [k for k in memory_keyring.entries if k[1].startswith("sync:")]
    assert entries == [(KEYRING_SERVICE, f"sync:{SERVER_URL}:mgr1")]
    for root in {kamdesk_home, tmp_path}:
        assert _files_containing(root, access) == []
        assert _files_containing(root, refresh) == []
    stored = load_settings()
    assert (stored.server_url, stored.username) == (SERVER_URL, "mgr1")


def test_wrong_password_then_rate_limit_with_retry_after(workspaces: Workspaces) -> None:
    session = workspaces.session()
    with pytest.raises(SignInError) as wrong:
        session.sign_in(SERVER_URL, "mgr1", "nope")
    assert wrong.value.code == "sync.sign_in.bad_credentials"
    assert not session.signed_in()
    codes = []
    for _ in range(6):
        with pytest.raises(SignInError) as again:
            session.sign_in(SERVER_URL, "mgr1", "nope")
        codes.append(again.value.code)
    assert codes[-1] == "sync.sign_in.rate_limited"
    assert again.value.retry_after is not None and again.value.retry_after > 0


def test_unreachable_and_tls_errors_are_told_apart(tmp_path: Path, workspaces: Workspaces) -> None:
    store = workspaces.session().store

    def failing(exc: Exception) -> SyncSession:
        def handler(request: httpx.Request) -> httpx.Response:
            raise exc

        return SyncSession(
            store,
            Settings(),
            http_factory=lambda url: httpx.Client(
                base_url=url, transport=httpx.MockTransport(handler)
            ),
        )

    refused = httpx.ConnectError("Connection refused")
    with pytest.raises(SignInError) as offline:
        failing(refused).sign_in("https://sync.example.cn", "mgr1", "pw")
    assert offline.value.code == "sync.sign_in.unreachable"
    tls = httpx.ConnectError("certificate verify failed")
    tls.__cause__ = ssl.SSLCertVerificationError("certificate verify failed")
    with pytest.raises(SignInError) as bad_cert:
        failing(tls).sign_in("https://sync.example.cn", "mgr1", "pw")
    assert bad_cert.value.code == "sync.sign_in.tls"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sync.example.cn/", "https://sync.example.cn"),
        ("http://10.0.0.2:8080", "http://10.0.0.2:8080"),
    ],
)
def test_server_url_is_normalised(typed: str, expected: str) -> None:
    assert normalise_url(typed) == expected


def test_bad_input_is_a_field_error(workspaces: Workspaces) -> None:
    session = workspaces.session()
    with pytest.raises(Exception) as bad:
        session.sign_in("ftp://files.example.cn", "mgr1", "x")
    assert getattr(bad.value, "field", None) == "server_url"
    with pytest.raises(Exception) as colon:
        session.sign_in("https://host:port", "mgr1", "x")
    assert getattr(colon.value, "field", None) == "server_url"
    with pytest.raises(Exception) as empty:
        session.sign_in(SERVER_URL, "mgr1", "")
    assert getattr(empty.value, "field", None) == "password"


def test_expired_access_token_is_refreshed_and_rotated(
    workspaces: Workspaces, clock: FakeClock
) -> None:
    session = workspaces.session("mgr1")
    before = session._vault().load()
    clock.advance(minutes=20)  # past the 15-minute access token
    report = session.engine().sync_once()
    assert report.error is None, report.error_message
    after = session._vault().load()
    assert after["access"] != before["access"] and after["refresh"] != before["refresh"]


def test_sign_out_deletes_tokens_and_revokes_on_the_server(
    workspaces: Workspaces, memory_keyring: MemoryKeyring
) -> None:
    session = workspaces.session("mgr1")
    old_refresh = session._vault().load()["refresh"]
    session.sign_out()
    assert not session.signed_in()
    assert not [k for k in memory_keyring.entries if k[1].startswith("sync:")]
    with pytest.raises(AuthRequiredError):
        session.engine()
    response = workspaces.http(SERVER_URL).post(
        "/v1/auth/refresh", json={"refresh_token": old_refresh}
    )
    assert response.status_code == 401


def test_edit_on_one_workspace_reaches_the_other(workspaces: Workspaces) -> None:
    a, b = workspaces.session("mgr1"), workspaces.session("mgr1")
    territory = workspaces.team.territories["T1"]
    assert a.engine().sync_once().initial_sync_done  # brings the territory itself
    account = local_ops.create_account(
        a.store,
        territory,
        {"code": "HF-001", "name": "庐阳烟酒店", "business_format": "tobacco_liquor"},
    )
    first = a.engine().sync_once()
    assert (first.error, first.applied, first.pending) == (None, 1, 0)
    assert b.engine().sync_once().error is None
    with b.store.session() as s:
        row = s.get(Account, account)
        assert row is not None and row.name == "庐阳烟酒店"
    assert local_ops.update_account(a.store, account, {"remarks": "周三送货"})
    assert a.engine().status().pending == 1
    assert a.engine().sync_once().applied == 1
    assert b.engine().sync_once().pulled >= 1
    with b.store.session() as s:
        assert s.get(Account, account).remarks == "周三送货"  # type: ignore[union-attr]


def test_concurrent_edits_become_a_listed_issue(workspaces: Workspaces) -> None:
    _a, b, _account = field_conflict(workspaces)
    issues = list_issues(b.store)
    assert len(issues) == 1
    issue = issues[0]
    assert issue.record == "HF-002 蜀山便利店"
    assert (issue.conflict.kind, issue.conflict.field) == ("field", "remarks")
    assert (issue.conflict.their_value, issue.conflict.your_value) == ("A", "B")


def test_signing_in_as_someone_else_drops_the_old_tokens(
    workspaces: Workspaces, memory_keyring: MemoryKeyring
) -> None:
    session = workspaces.session("mgr1")
    session.sign_out()
    session.sign_in(SERVER_URL, "mgr1", PASSWORD)
    with pytest.raises(SignInError):
        session.sign_in(SERVER_URL, "mgr2", "wrong")
    assert not [k for k in memory_keyring.entries if k[1].startswith("sync:")]


def test_revoked_device_must_sign_in_again(workspaces: Workspaces, clock: FakeClock) -> None:
    from kamdesk.server.admin import users as user_admin

    session = workspaces.session("mgr1")
    assert session.engine().sync_once().error is None
    with workspaces.server.state.sessions() as s:
        user_admin.revoke_devices(s, "mgr1", clock())
        s.commit()
    clock.advance(minutes=20)  # the access token expires: refresh is refused
    report = session.engine().sync_once()
    assert report.error == "sync.auth"
    assert not session.signed_in()  # the sign-in button comes back; the outbox is untouched
