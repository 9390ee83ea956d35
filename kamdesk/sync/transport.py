"""How the client reaches the server: a small protocol, an HTTP implementation (httpx) and an
in-process one that calls the server functions directly (tests, simulation, single-user mode).

Requests and responses are plain JSON-shaped dicts, so the in-process path exercises the same
wire format as HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol

import httpx
import orjson

from kamdesk.sync.errors import AuthRequiredError, ServerRefusedError, TransportError

Json = dict[str, Any]


class Transport(Protocol):
    def push(self, request: Json) -> Json: ...

    def pull(self, request: Json) -> Json: ...

    def info(self) -> Json: ...


class HttpTransport:
    """``token`` returns the current access token (the auth code refreshes it); on a 401 the
    optional ``on_unauthorized`` hook is called once (e.g. refresh) and the call retried."""

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str | None],
        *,
        on_unauthorized: Callable[[], None] | None = None,
        timeout: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self._token = token
        self._on_unauthorized = on_unauthorized
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def _headers(self) -> dict[str, str]:
        token = self._token()
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, body: Json | None = None) -> Json:
        for attempt in (0, 1):
            try:
                response = self._client.request(method, path, json=body, headers=self._headers())
            except httpx.HTTPError as exc:
                raise TransportError(f"The server could not be reached: {exc}") from exc
            if response.status_code == 401 and attempt == 0 and self._on_unauthorized:
                self._on_unauthorized()
                continue
            return _decode(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def push(self, request: Json) -> Json:
        return self._call("POST", "/v1/sync/push", request)

    def pull(self, request: Json) -> Json:
        return self._call("POST", "/v1/sync/pull", request)

    def info(self) -> Json:
        return self._call("GET", "/v1/sync/info")


def _decode(response: httpx.Response) -> Json:
    if response.status_code == 401:
        raise AuthRequiredError("Please sign in again.")
    if response.status_code >= 500 or response.status_code == 429:
        raise TransportError(f"The server is unavailable ({response.status_code}).")
    if response.status_code >= 400:
        detail: Any = None
        with contextlib.suppress(ValueError):
            detail = response.json().get("detail")
        code = detail.get("code") if isinstance(detail, dict) else None
        message = detail.get("message") if isinstance(detail, dict) else str(detail)
        raise ServerRefusedError(
            message or f"The server refused the request ({response.status_code}).",
            code=code or "sync.refused",
        )
    try:
        data = orjson.loads(response.content)  # pages of thousands of rows: 3x the stdlib
    except ValueError as exc:
        raise TransportError("The server sent an unreadable answer.") from exc
    if not isinstance(data, dict):
        raise TransportError("The server sent an unexpected answer.")
    return data
