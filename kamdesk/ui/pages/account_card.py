"""The account card editor (客户档案): every field in sections, saved through the services.

Edits are collected from the two field forms and saved in one ``update_fields`` call (one
outbox row). A validation error is shown at its field, on its tab. Leaving a card with unsaved
edits asks Save / Discard / Cancel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.fields import ACCOUNT_FIELDS
from kamdesk.errors import KamdeskError, ValidationError
from kamdesk.services.account_card import AccountCard, AccountCardService
from kamdesk.services.accounts import AccountService
from kamdesk.services.attachments import AttachmentService
from kamdesk.services.audit import AuditService
from kamdesk.ui import labels
from kamdesk.ui.widgets.card_fields import FieldForm, localise
from kamdesk.ui.widgets.card_labels import account_field_labels
from kamdesk.ui.widgets.card_sections import (
    AttachmentsSection,
    ComplaintsSection,
    ContactDialog,
    ContactsSection,
    EvaluationDialog,
    EvaluationsSection,
    NotesSection,
    PurchasesSection,
    StockSection,
    VisitsSection,
)
from kamdesk.ui.widgets.history_panel import HistoryPanel

BASIC_FIELDS = (
    "code",
    "name",
    "legal_name",
    "licence_no",
    "licence_expiry",
    "owner_name",
    "phone",
    "business_format",
    "status",
    "address",
    "district",
    "street",
    "latitude",
    "longitude",
    "opening_hours",
    "area_m2",
    "relationship_grade",
    "loyalty",
    "abc_override",
    "lifecycle_override",
    "man_money",
    "man_authority",
    "man_need",
    "tags",
    "remarks",
)
BUSINESS_FIELDS = tuple(name for name in ACCOUNT_FIELDS if name not in BASIC_FIELDS)

Answer = QMessageBox.StandardButton


class AccountCardPage(QWidget):
    saved = Signal(str)  # account id (created or updated)
    back_requested = Signal()
    navigate_requested = Signal(int)  # +1 next, -1 previous
    new_requested = Signal()
    find_requested = Signal()

    def __init__(
        self,
        cards: AccountCardService,
        accounts: AccountService,
        attachments: AttachmentService,
        *,
        chinese: bool = True,
        classification_panel: QWidget | None = None,
        extra_tabs: Sequence[tuple[str, QWidget]] = (),
        history: AuditService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cards = cards
        self.accounts = accounts
        self.attachments = attachments
        self.chinese = chinese
        self.card: AccountCard | None = None
        self.account_id: str | None = None
        self._new_territory: str | None = None
        # replaced in tests; returns Save, Discard or Cancel
        self.ask_unsaved: Callable[[], Answer] = self._ask_unsaved
        self.pick_file: Callable[[], str] = self._pick_file

        captions = account_field_labels()
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.badges = QLabel(self)
        self.badges.setStyleSheet("color: #566573;")
        self.status = QLabel(self)
        self.read_only_label = QLabel(
            self.tr("Read only: this account belongs to another territory"), self
        )
        self.read_only_label.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.read_only_label.hide()
        self.read_only = False
        self.back_button = QPushButton(self.tr("← List"), self)
        self.prev_button = QPushButton(self.tr("Previous"), self)
        self.prev_button.setToolTip(self.tr("Previous account (Alt+Up or PageUp)"))
        self.next_button = QPushButton(self.tr("Next"), self)
        self.next_button.setToolTip(self.tr("Next account (Alt+Down or PageDown)"))
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setToolTip(self.tr("Save changes (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.back_button.clicked.connect(self.back_requested)
        self.prev_button.clicked.connect(lambda: self.navigate_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.navigate_requested.emit(1))
        self.save_button.clicked.connect(self.save)

        self.basic = FieldForm(ACCOUNT_FIELDS, BASIC_FIELDS, captions, self)
        self.business = FieldForm(ACCOUNT_FIELDS, BUSINESS_FIELDS, captions, self)
        self.basic.changed.connect(self._update_dirty)
        self.business.changed.connect(self._update_dirty)
        self.contacts = ContactsSection(self)
        self.evaluations = EvaluationsSection(self)
        self.purchases = PurchasesSection(self)
        self.stock = StockSection(self)
        self.visits = VisitsSection(self)
        self.complaints = ComplaintsSection(self)
        self.attachment_section = AttachmentsSection(self)
        self.notes = NotesSection(self)
        self.history = HistoryPanel(history, self) if history is not None else None
        self.classification = classification_panel or QLabel(
            self.tr("Classification details are not available in this build."), self
        )
        self.contacts.add_requested.connect(self.add_contact)
        self.evaluations.add_requested.connect(self.add_evaluation)
        self.attachment_section.add_requested.connect(self.add_attachment)
        self.attachment_section.save_requested.connect(self.save_attachment)
        self.notes.add_requested.connect(self.add_note)

        basic_split = QSplitter(Qt.Orientation.Horizontal, self)
        basic_split.addWidget(_scrolled(self.basic))
        panel_area = _scrolled(self.classification)
        panel_area.setMinimumWidth(360)  # the explanations need room to wrap
        basic_split.addWidget(panel_area)
        basic_split.setStretchFactor(0, 3)
        basic_split.setStretchFactor(1, 2)
        basic_split.setSizes([640, 420])
        basic_split.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(basic_split, self.tr("Basic information card"))
        self.tabs.addTab(_scrolled(self.business), self.tr("Business and capability"))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.tabs.addTab(self.evaluations, self.tr("Evaluations"))
        self.tabs.addTab(self.purchases, self.tr("Purchases and debt"))
        self.tabs.addTab(self.stock, self.tr("Stock"))
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.tabs.addTab(self.complaints, self.tr("Complaints"))
        self.tabs.addTab(self.attachment_section, self.tr("Attachments"))
        self.tabs.addTab(self.notes, self.tr("Notes"))
        self._record_tabs: tuple[int, ...] = (2, 3, 5, 6, 7, 8, 9)
        if self.history is not None:
            index = self.tabs.addTab(self.history, self.tr("History"))
            self._record_tabs = (*self._record_tabs, index)
        # panels from other areas (ordering advice, margin); each has load(account_id)
        self.extra_tabs = list(extra_tabs)
        for title, widget in self.extra_tabs:
            self.tabs.addTab(widget, title)

        head = QHBoxLayout()
        head.addWidget(self.back_button)
        head.addWidget(self.title)
        head.addWidget(self.badges, 1)
        head.addWidget(self.read_only_label)
        head.addWidget(self.status)
        head.addWidget(self.prev_button)
        head.addWidget(self.next_button)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.New, self.new_requested.emit),
            (QKeySequence.StandardKey.Find, self.find_requested.emit),
            (QKeySequence("Alt+Down"), lambda: self.navigate_requested.emit(1)),
            (QKeySequence("PgDown"), lambda: self.navigate_requested.emit(1)),
            (QKeySequence("Alt+Up"), lambda: self.navigate_requested.emit(-1)),
            (QKeySequence("PgUp"), lambda: self.navigate_requested.emit(-1)),
        ):
            QShortcut(keys, self, activated=slot, context=context)

    # -- loading ---------------------------------------------------------------------------
    def load(self, account_id: str) -> None:
        card = self.cards.load(account_id)
        self.card = card
        self.account_id = account_id
        self._new_territory = None
        self.basic.set_values(card.fields)
        self.business.set_values(card.fields)
        for _title, widget in self.extra_tabs:
            widget.load(account_id)  # type: ignore[attr-defined]
        for section in (
            self.contacts,
            self.evaluations,
            self.purchases,
            self.stock,
            self.visits,
            self.complaints,
            self.attachment_section,
            self.notes,
        ):
            section.show_card(card)
        if self.history is not None:
            self.history.load(account_id)
        for index in self._record_tabs:
            self.tabs.setTabEnabled(index, True)
        self.tabs.setTabEnabled(4, True)
        self._set_read_only(not self.cards.can_write(account_id))
        self._show_header()
        loader = getattr(self.classification, "load", None)
        if callable(loader):
            with contextlib.suppress(KamdeskError):  # the panel shows its own message
                loader(account_id)

    def start_new(self, territory_id: str | None) -> None:
        """An empty card; the account is created on the first save."""
        self.card = None
        self.account_id = None
        self._new_territory = territory_id
        defaults: dict[str, Any] = {"status": "active"}
        if self.history is not None:
            self.history.clear()
        self.basic.set_values(defaults)
        self.business.set_values({"lead_time_days": 7, "credit_terms_days": 0})
        for index in (*self._record_tabs, 4):
            self.tabs.setTabEnabled(index, False)
        self.tabs.setCurrentIndex(0)
        self._set_read_only(False)
        self.title.setText(self.tr("New account"))
        self.badges.setText(self.tr("Fill in at least the code, name and format, then save."))
        self.status.clear()
        self.basic.editors["code"].input.setFocus()

    def _set_read_only(self, read_only: bool) -> None:
        """Another territory's card (a supervisor's view): shown in full, nothing editable."""
        self.read_only = read_only
        self.read_only_label.setVisible(read_only)
        self.basic.setEnabled(not read_only)
        self.business.setEnabled(not read_only)
        self.save_button.setEnabled(not read_only)
        for section in (self.contacts, self.evaluations, self.attachment_section, self.notes):
            section.add_button.setEnabled(not read_only)
        self.notes.entry.setReadOnly(read_only)

    def _show_header(self) -> None:
        card = self.card
        if card is None:
            return
        fields = card.fields
        tier = fields.get("abc_override") or card.abc_tier
        stage = fields.get("lifecycle_override") or card.lifecycle_stage
        self.title.setText(f"{fields['name']}  ({fields['code']})")
        parts = [
            labels.business_format(str(fields["business_format"])),
            self.tr("Tier %1").replace("%1", tier),
            labels.lifecycle(stage),
        ]
        if fields.get("relationship_grade"):
            parts.append(self.tr("Grade %1").replace("%1", str(fields["relationship_grade"])))
        if card.vip_state in {"candidate", "approved"}:
            parts.append(
                self.tr("VIP") if card.vip_state == "approved" else self.tr("VIP candidate")
            )
        self.badges.setText(" · ".join(parts))
        self._update_dirty()

    # -- editing -----------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        return {**self.basic.changes(), **self.business.changes()}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def _update_dirty(self) -> None:
        self.status.setText(self.tr("Unsaved changes") if self.is_dirty() else "")
        self.status.setStyleSheet("color: #e67e22; font-weight: bold;")

    def save(self) -> bool:
        """Validate and save; False (with the message at the field) when a value is refused."""
        changes = self.changes()
        self.basic.clear_errors()
        self.business.clear_errors()
        try:
            if self.account_id is None:
                territory = self._new_territory or self.cards.default_territory()
                if territory is None:
                    raise ValidationError(
                        "工作区还没有片区 / This workspace has no territory", field="code"
                    )
                account_id = self.accounts.create(territory, changes)
            else:
                if not changes:
                    return True
                account_id = self.account_id
                self.accounts.update_fields(account_id, changes)
        except ValidationError as exc:
            self.show_error(exc)
            return False
        self.load(account_id)
        self.saved.emit(account_id)
        return True

    def show_error(self, exc: ValidationError) -> None:
        message = localise(exc.message, self.chinese)
        for tab, form in ((0, self.basic), (1, self.business)):
            if exc.field is not None and exc.field in form.editors:
                self.tabs.setCurrentIndex(tab)
                form.show_error(exc.field, message)
                return
        QMessageBox.warning(self, self.tr("Cannot save"), message)

    def maybe_leave(self) -> bool:
        """True when the card may be left: nothing unsaved, saved now, or discarded."""
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == Answer.Save:
            return self.save()
        if answer == Answer.Discard:
            if self.card is not None:
                self.basic.set_values(self.card.fields)
                self.business.set_values(self.card.fields)
            else:
                self.basic.set_values({})
                self.business.set_values({})
            self._update_dirty()
            return True
        return False

    def _ask_unsaved(self) -> Answer:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("This account card has unsaved changes."))
        box.setInformativeText(self.tr("Save them before leaving?"))
        box.setStandardButtons(Answer.Save | Answer.Discard | Answer.Cancel)
        box.setDefaultButton(Answer.Save)
        box.button(Answer.Save).setText(self.tr("Save"))
        box.button(Answer.Discard).setText(self.tr("Discard"))
        box.button(Answer.Cancel).setText(self.tr("Cancel"))
        return Answer(box.exec())

    # -- records -------------------------------------------------------------------------------
    def add_note(self, text: str) -> None:
        if self.account_id is None:
            return
        try:
            self.accounts.add_note(self.account_id, text)
        except ValidationError as exc:
            self.notes.message.setText(localise(exc.message, self.chinese))
            return
        self.notes.entry.clear()
        self._reload_records()

    def add_contact(self) -> None:
        if self.account_id is None:
            return
        dialog = ContactDialog(self)
        while dialog.exec():
            try:
                self.accounts.add_contact(self.account_id, dialog.values())
            except ValidationError as exc:
                if not dialog.form.show_error(exc.field or "", localise(exc.message, self.chinese)):
                    QMessageBox.warning(self, self.tr("Cannot save"), exc.message)
                continue
            self._reload_records()
            self.saved.emit(self.account_id)
            return

    def add_evaluation(self) -> None:
        if self.account_id is None:
            return
        dialog = EvaluationDialog(self)
        if dialog.exec():
            from datetime import date

            try:
                self.accounts.add_evaluation(
                    self.account_id, date.today(), dialog.scores(), dialog.comment.toPlainText()
                )
            except ValidationError as exc:  # e.g. a comment over its length limit
                QMessageBox.warning(
                    self, self.tr("Cannot save"), localise(exc.message, self.chinese)
                )
                return
            self._reload_records()

    def add_attachment(self) -> None:
        if self.account_id is None:
            return
        name = self.pick_file()
        if not name:
            return
        try:
            self.attachments.add_file(self.account_id, Path(name))
        except KamdeskError as exc:
            self.attachment_section.message.setText(localise(exc.message, self.chinese))
            return
        self._reload_records()
        self.attachment_section.message.clear()

    def save_attachment(self, attachment_id: str) -> None:
        filename, data = self.attachments.data(attachment_id)
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), filename)
        if target:
            Path(target).write_bytes(data)

    def _pick_file(self) -> str:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach a contract copy or photo"),
            "",
            self.tr(
                "Documents and images (*.pdf *.jpg *.jpeg *.png *.heic *.doc *.docx);;All files (*)"
            ),
        )
        return name

    def _reload_records(self) -> None:
        """Reload the card but keep any unsaved field edits on screen."""
        if self.account_id is None:
            return
        pending = self.changes()
        tab = self.tabs.currentIndex()
        self.load(self.account_id)
        for name, value in pending.items():
            form = self.basic if name in self.basic.editors else self.business
            form.editors[name].set_value(value)
        self._update_dirty()
        self.tabs.setCurrentIndex(tab)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
