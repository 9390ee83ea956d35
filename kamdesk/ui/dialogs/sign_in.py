"""Sign in to the team server: address, user, password; tokens go to the OS keyring."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kamdesk.errors import KamdeskError, ValidationError
from kamdesk.services.sync_session import SignedInUser, SignInError, SyncSession
from kamdesk.settings import save_settings
from kamdesk.ui.tasks import TaskRunner


class SignInDialog(QDialog):
    def __init__(
        self, session: SyncSession, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.user: SignedInUser | None = None
        self.setWindowTitle(self.tr("Sign in to the team server"))
        self.url = QLineEdit(session.settings.server_url, self)
        self.url.setPlaceholderText("https://sync.example.cn")
        self.username = QLineEdit(session.settings.username, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.field_errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, edit in (
            ("server_url", self.tr("Server address"), self.url),
            ("username", self.tr("User name"), self.username),
            ("password", self.tr("Password"), self.password),
        ):
            form.addRow(label, edit)
            error = QLabel(self)
            error.setStyleSheet("color: #b3261e;")
            error.hide()
            form.addRow("", error)
            self.field_errors[key] = error
        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        note = QLabel(
            self.tr("Your password is not stored; the sign-in is kept in this computer's keyring."),
            self,
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def message_for(self, exc: BaseException) -> str:
        code = getattr(exc, "code", "")
        if code in ("sync.sign_in.bad_credentials", "sync.sign_in.user_disabled"):
            return self.tr("Wrong user name or password.")
        if code == "sync.sign_in.rate_limited":
            retry = getattr(exc, "retry_after", None)
            minutes = max(1, -(-int(retry) // 60)) if retry else 15
            return self.tr("Too many attempts. Try again in %n minute(s).", "", minutes)
        if code == "sync.sign_in.unreachable":
            return self.tr(
                "The server cannot be reached. Check the address and your network; "
                "you can keep working offline."
            )
        if code == "sync.sign_in.tls":
            return self.tr(
                "The server's security certificate is not valid. Ask your administrator."
            )
        if code == "sync.sign_in.client_taken":
            return self.tr("This workspace is registered to another user on the server.")
        if code == "sync.sign_in.client_revoked":
            return self.tr(
                "This laptop was signed out by an administrator. Ask them to reset its workspace."
            )
        if code == "sync.sign_in.no_keyring":
            return self.tr("This computer has no keyring to keep your sign-in safely.")
        if isinstance(exc, KamdeskError):
            return self.tr("The server refused the sign-in (%1).").replace("%1", exc.code)
        return self.tr("Sign-in failed unexpectedly: %1").replace("%1", str(exc))

    def _clear_errors(self) -> None:
        self.error.clear()
        for label in self.field_errors.values():
            label.hide()

    def submit(self) -> None:
        self._clear_errors()
        url, user, password = self.url.text(), self.username.text(), self.password.text()
        self.buttons.setEnabled(False)

        def work(progress: Any, cancel: threading.Event) -> SignedInUser:
            return self.session.sign_in(url, user, password)

        self.tasks.run(work, on_success=self._signed_in, on_failure=self._failed)

    def _signed_in(self, user: SignedInUser) -> None:
        self.buttons.setEnabled(True)
        self.user = user
        self.password.clear()
        save_settings(self.session.settings)  # URL and user name only; tokens are in the keyring
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field in self.field_errors:
            label = self.field_errors[exc.field]
            label.setText(
                {
                    "server_url": self.tr("Enter the server address, e.g. https://sync.example.cn"),
                    "username": self.tr("Enter your user name."),
                    "password": self.tr("Enter your password."),
                }[exc.field]
            )
            label.show()
            return
        self.error.setText(self.message_for(exc))
        if isinstance(exc, SignInError) and exc.code == "sync.sign_in.bad_credentials":
            self.password.selectAll()
            self.password.setFocus()
