"""Signing in to the team server and building the sync engine for this workspace (no Qt).

Tokens live ONLY in the OS keyring (service "KAMDesk"), never in a file: the settings hold the
server URL and user name, nothing secret. A 401 during sync triggers one refresh (the server
rotates the refresh token, so the new pair is stored at once); sign-out revokes the refresh
token on the server when reachable and always deletes both tokens locally.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx
import keyring
import keyring.errors
from sqlalchemy import select

from kamdesk import __version__
from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Contact
from kamdesk.errors import KamdeskError, ValidationError
from kamdesk.services import write_scope
from kamdesk.settings import Settings
from kamdesk.sync import state
from kamdesk.sync.conflicts import ConflictView, list_conflicts
from kamdesk.sync.engine import SyncEngine
from kamdesk.sync.errors import AuthRequiredError
from kamdesk.sync.transport import HttpTransport

KEYRING_SERVICE = "KAMDesk"
HttpFactory = Callable[[str], httpx.Client]  # base URL -> client (tests pass an ASGI client)


class SignInError(KamdeskError):
    """codes: sync.sign_in.bad_credentials | rate_limited | unreachable | tls | refused"""

    code = "sync.sign_in"

    def __init__(self, message: str, *, code: str, retry_after: int | None = None) -> None:
        super().__init__(message, code=code, retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SignedInUser:
    username: str
    display_name: str
    role: str  # manager | supervisor | admin
    territory_id: str | None

    @property
    def is_staff(self) -> bool:
        return self.role in ("supervisor", "admin")


def normalise_url(url: str) -> str:
    """A usable base URL or a ValidationError at the URL field."""
    url = url.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    try:
        parsed = urlparse(url)
        valid = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        _ = parsed.port  # raises on a malformed port
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError(
            "Enter the server address, e.g. https://sync.example.cn", field="server_url"
        )
    return url


def _default_http(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=30.0)


class TokenVault:
    """The token pair and the signed-in user, one keyring entry per (server, user)."""

    def __init__(self, server_url: str, username: str) -> None:
        self._entry = f"sync:{server_url}:{username}"

    def save(self, access: str, refresh: str, user: SignedInUser | None = None) -> None:
        current = self.load()
        payload: dict[str, Any] = {"access": access, "refresh": refresh}
        if user is not None:
            payload["user"] = [user.username, user.display_name, user.role, user.territory_id]
        elif "user" in current:
            payload["user"] = current["user"]
        try:
            keyring.set_password(KEYRING_SERVICE, self._entry, json.dumps(payload))
        except keyring.errors.KeyringError as exc:
            raise SignInError(
                "This computer has no keyring to keep the sign-in safely.",
                code="sync.sign_in.no_keyring",
            ) from exc

    def load(self) -> dict[str, Any]:
        try:
            raw = keyring.get_password(KEYRING_SERVICE, self._entry)
        except keyring.errors.KeyringError:
            return {}
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def clear(self) -> None:
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(KEYRING_SERVICE, self._entry)


def _detail(response: httpx.Response) -> tuple[str, str]:
    with contextlib.suppress(ValueError, AttributeError):
        detail = response.json().get("detail")
        if isinstance(detail, dict):
            return str(detail.get("code", "")), str(detail.get("message", ""))
    return "", ""


def _network_error(exc: httpx.HTTPError) -> SignInError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return SignInError(
                f"The server's certificate could not be verified: {cause}",
                code="sync.sign_in.tls",
            )
        cause = cause.__cause__ or cause.__context__
    return SignInError(f"The server could not be reached: {exc}", code="sync.sign_in.unreachable")


class SyncSession:
    """One workspace's connection to the team server."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        http_factory: HttpFactory = _default_http,
        engine_options: dict[str, Any] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self._http_factory = http_factory
        self._engine_options = engine_options or {}
        self._engine: SyncEngine | None = None
        self._http: httpx.Client | None = None
        self._refresh_lock = threading.Lock()  # the worker refreshes; the UI may sign out

    # -- identity ----------------------------------------------------------------------------
    @property
    def client_id(self) -> str:
        with self.store.session() as session:
            return state.client_id(session)

    def _vault(self) -> TokenVault:
        return TokenVault(self.settings.server_url, self.settings.username)

    def configured(self) -> bool:
        return bool(self.settings.server_url and self.settings.username)

    def signed_in(self) -> bool:
        return self.configured() and bool(self._vault().load().get("refresh"))

    def user(self) -> SignedInUser | None:
        raw = self._vault().load().get("user") if self.configured() else None
        if not isinstance(raw, list) or len(raw) != 4:
            return None
        return SignedInUser(str(raw[0]), str(raw[1]), str(raw[2]), raw[3])

    def access_token(self) -> str | None:
        token = self._vault().load().get("access") if self.configured() else None
        return str(token) if token else None

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = self._http_factory(self.settings.server_url)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        self._engine = None

    # -- sign in / out -----------------------------------------------------------------------
    def sign_in(self, server_url: str, username: str, password: str) -> SignedInUser:
        """POST /v1/auth/login; on success the tokens go to the keyring and the settings keep
        only the URL and user name (the caller saves the settings)."""
        url = normalise_url(server_url)
        username = username.strip()
        if not username:
            raise ValidationError("Enter your user name.", field="username")
        if not password:
            raise ValidationError("Enter your password.", field="password")
        if (url, username) != (self.settings.server_url, self.settings.username):
            if self.configured():
                self._vault().clear()  # never leave an old identity's tokens behind
            self.close()
        self.settings.server_url, self.settings.username = url, username
        body = {"username": username, "password": password, "client_id": self.client_id}
        try:
            response = self._client().post("/v1/auth/login", json=body)
        except httpx.HTTPError as exc:
            raise _network_error(exc) from exc
        code, message = _detail(response)
        if response.status_code == 401:
            raise SignInError(
                message or "Wrong user name or password.",
                code=f"sync.sign_in.{_short(code, 'bad_credentials')}",
            )
        if response.status_code == 429:
            retry = response.headers.get("Retry-After", "")
            raise SignInError(
                message or "Too many attempts.",
                code="sync.sign_in.rate_limited",
                retry_after=int(retry) if retry.isdigit() else None,
            )
        if response.status_code >= 400:
            raise SignInError(
                message or f"The server refused the sign-in ({response.status_code}).",
                code=f"sync.sign_in.{_short(code, 'refused')}",
            )
        data = response.json()
        info = data.get("user") or {}
        user = SignedInUser(
            username=str(info.get("username", username)),
            display_name=str(info.get("display_name", "")),
            role=str(info.get("role", "manager")),
            territory_id=info.get("territory_id"),
        )
        self._vault().save(str(data["access_token"]), str(data["refresh_token"]), user)
        # a supervisor reads every territory but writes only their own (none if unassigned)
        write_scope.set_scope(self.store, _writable_territories(user))
        self._engine = None
        return user

    def refresh(self) -> None:
        """Rotate the token pair; AuthRequiredError (sign in again) when the server refuses."""
        with self._refresh_lock:
            vault = self._vault()
            refresh_token = vault.load().get("refresh")
            if not refresh_token:
                raise AuthRequiredError("Please sign in.")
            try:
                response = self._client().post(
                    "/v1/auth/refresh", json={"refresh_token": refresh_token}
                )
            except httpx.HTTPError:
                return  # offline: the retried call fails as a transport error, tokens kept
            if response.status_code in (400, 401, 403, 422):
                vault.clear()  # revoked, reused or expired: only a new sign-in helps
                raise AuthRequiredError("Please sign in again.")
            if response.status_code >= 300:
                return
            data = response.json()
            vault.save(str(data["access_token"]), str(data["refresh_token"]))

    def sign_out(self) -> None:
        """Revoke on the server if reachable; the local tokens are deleted in any case."""
        vault = self._vault()
        refresh_token = vault.load().get("refresh")
        vault.clear()
        if refresh_token and self.configured():
            with contextlib.suppress(httpx.HTTPError):
                self._client().post("/v1/auth/logout", json={"refresh_token": refresh_token})
        self.close()

    # -- sync --------------------------------------------------------------------------------
    def engine(self) -> SyncEngine:
        """The engine for the configured server (AuthRequiredError when not signed in)."""
        if not self.signed_in():
            raise AuthRequiredError("Sign in to the team server to sync.")
        if self._engine is None:
            transport = HttpTransport(
                self.settings.server_url,
                self.access_token,
                on_unauthorized=self.refresh,
                client=self._client(),
            )
            self._engine = SyncEngine(
                self.store, transport, app_version=__version__, **self._engine_options
            )
        return self._engine

    def local_engine(self) -> SyncEngine:
        """An engine for reading local status only (pending count, issues) when signed out."""
        if self._engine is not None:
            return self._engine
        return SyncEngine(self.store, _NoTransport())

    # -- supervisor --------------------------------------------------------------------------
    def _admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One staff call with the bearer token, refreshed once on a 401."""
        for attempt in (0, 1):
            headers = {"Authorization": f"Bearer {self.access_token()}"}
            try:
                response = self._client().request(method, path, json=body, headers=headers)
            except httpx.HTTPError as exc:
                raise _network_error(exc) from exc
            if response.status_code == 401 and attempt == 0:
                self.refresh()
                continue
            if response.status_code >= 400:
                code, message = _detail(response)
                raise SupervisorError(
                    message or f"The server refused ({response.status_code}).",
                    code=code or "sync.admin.refused",
                )
            return response.json()
        raise AuthRequiredError("Please sign in again.")

    def territories(self) -> list[tuple[str, str]]:
        """Supervisor/admin: (code, name) of every territory."""
        rows = self._admin("GET", "/v1/admin/territories")
        return [(str(r["code"]), str(r["name"])) for r in rows]

    def assign_account(self, account_code: str, territory_code: str) -> dict[str, Any]:
        """Supervisor/admin: move an account (and its history) to another territory."""
        code = account_code.strip()
        if not code:
            raise ValidationError("Enter the account code.", field="account_code")
        result: dict[str, Any] = self._admin(
            "POST", f"/v1/admin/accounts/{code}/assign", {"territory_code": territory_code}
        )
        return result


def _writable_territories(user: SignedInUser) -> list[str] | None:
    """What this laptop may change, mirroring the server's partitions (None: unrestricted)."""
    if user.role == "admin":
        return None
    return [user.territory_id] if user.territory_id else []


class SupervisorError(KamdeskError):
    """admin.* codes from the server (e.g. admin.forbidden, admin.not_found)."""

    code = "sync.admin"


def _short(code: str, default: str) -> str:
    """``auth.bad_credentials`` -> ``bad_credentials``."""
    return code.split(".", 1)[1] if code.startswith("auth.") else default


class _NoTransport:
    def push(self, request: dict[str, Any]) -> dict[str, Any]:
        raise AuthRequiredError("Sign in to the team server to sync.")

    def pull(self, request: dict[str, Any]) -> dict[str, Any]:
        raise AuthRequiredError("Sign in to the team server to sync.")

    def info(self) -> dict[str, Any]:
        raise AuthRequiredError("Sign in to the team server to sync.")


# -- the Sync issues panel's rows ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SyncIssue:
    conflict: ConflictView
    record: str  # "A-0012 合肥某烟酒店" for an account, else the table and id


def list_issues(store: Store, *, include_resolved: bool = False) -> list[SyncIssue]:
    """Conflicts and rejections with a readable record label (account code and name)."""
    views = list_conflicts(store, include_resolved=include_resolved)
    account_ids = {v.entity_id for v in views if v.entity_table == "account"}
    contact_ids = {v.entity_id for v in views if v.entity_table == "contact"}
    labels: dict[str, str] = {}
    with store.session() as session:
        if account_ids:
            for row_id, code, name in session.execute(
                select(Account.id, Account.code, Account.name).where(Account.id.in_(account_ids))
            ):
                labels[row_id] = f"{code} {name}"
        if contact_ids:
            for row_id, name in session.execute(
                select(Contact.id, Contact.name).where(Contact.id.in_(contact_ids))
            ):
                labels[row_id] = str(name)
    return [
        SyncIssue(v, labels.get(v.entity_id, f"{v.entity_table} {v.entity_id[:8]}")) for v in views
    ]
