"""Asks for the database passphrase where no system keyring can keep the key."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget


class PassphraseDialog(QDialog):
    MIN_LENGTH = 8

    def __init__(self, *, creating: bool, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.creating = creating
        self.setWindowTitle(self.tr("Database passphrase"))
        intro = QLabel(
            self.tr(
                "No system keyring is available. Choose a passphrase to encrypt your data; "
                "it cannot be recovered if forgotten."
            )
            if creating
            else self.tr("Enter the passphrase of your KAMDesk database."),
            self,
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(error, self)
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        if creating:
            form.addRow(self.tr("Repeat"), self.confirm)
        else:
            self.confirm.hide()
        form.addRow(self.error)
        form.addRow(buttons)

    def _check(self) -> None:
        text = self.passphrase.text()
        if self.creating and len(text) < self.MIN_LENGTH:
            self.error.setText(self.tr("Use at least %n characters.", "", self.MIN_LENGTH))
            return
        if self.creating and text != self.confirm.text():
            self.error.setText(self.tr("The two passphrases differ."))
            return
        if not text:
            self.error.setText(self.tr("Enter the passphrase."))
            return
        self.accept()

    def value(self) -> str:
        return self.passphrase.text()
