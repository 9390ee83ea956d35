"""A transport that calls the server functions in this process (tests, simulation)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from kamdesk.server.principal import Principal
from kamdesk.server.sync.errors import SyncError
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy, server_info
from kamdesk.server.sync.pull import pull
from kamdesk.server.sync.push import push
from kamdesk.server.sync.schemas import PullRequest, PushRequest
from kamdesk.sync.errors import ServerRefusedError
from kamdesk.sync.transport import Json


class InProcessTransport:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        principal: Principal | Callable[[], Principal],
        policy: Callable[[], SyncPolicy] = lambda: DEFAULT_POLICY,
    ) -> None:
        self._sessions = sessions
        self._principal = principal
        self._policy = policy

    def principal(self) -> Principal:
        return self._principal if isinstance(self._principal, Principal) else self._principal()

    def push(self, request: Json) -> Json:
        try:
            body = PushRequest.model_validate(request)
            out = push(self._sessions, self.principal(), body, self._policy())
        except SyncError as exc:
            raise ServerRefusedError(exc.message, code=exc.code) from exc
        return out.model_dump(mode="json")

    def pull(self, request: Json) -> Json:
        try:
            body = PullRequest.model_validate(request)
            out = pull(self._sessions, self.principal(), body, self._policy())
        except SyncError as exc:
            raise ServerRefusedError(exc.message, code=exc.code) from exc
        return out.model_dump(mode="json")

    def info(self) -> Json:
        return server_info(self._policy()).model_dump(mode="json")
