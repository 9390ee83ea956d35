"""The card's record sections: contacts, evaluations, purchases, stock, visits, complaints,
attachments and notes. Each shows plain dataclasses from ``AccountCardService``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.fields import CONTACT_FIELDS
from kamdesk.services.account_card import (
    AccountCard,
    AttachmentView,
    ComplaintView,
    ContactView,
    EvaluationView,
    NoteView,
    ProductTotal,
    PurchaseView,
    StockView,
    VisitView,
)
from kamdesk.services.accounts import SCORE_FIELDS
from kamdesk.ui.models.card_records import RecordTableModel
from kamdesk.ui.widgets.card_fields import FieldForm
from kamdesk.ui.widgets.card_labels import contact_field_labels, score_labels

LUNAR_MONTHS = "正二三四五六七八九十冬腊"
LUNAR_DAYS = [
    "初一",
    "初二",
    "初三",
    "初四",
    "初五",
    "初六",
    "初七",
    "初八",
    "初九",
    "初十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "廿一",
    "廿二",
    "廿三",
    "廿四",
    "廿五",
    "廿六",
    "廿七",
    "廿八",
    "廿九",
    "三十",
]


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def lunar_text(month: int, day: int, leap: bool) -> str:
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return f"{month}/{day}"
    return ("闰" if leap else "") + f"{LUNAR_MONTHS[month - 1]}月{LUNAR_DAYS[day - 1]}"


def birthday_text(c: ContactView) -> str:
    if c.birthday_lunar and c.lunar_month and c.lunar_day:
        lunar = (
            QCoreApplication.translate("CardSections", "Lunar")
            + " "
            + lunar_text(c.lunar_month, c.lunar_day, c.lunar_leap)
        )
        if c.birthday_this_year is None:
            return lunar
        return f"{lunar} → {c.birthday_this_year.isoformat()}"
    if c.birthday is not None:
        return c.birthday.isoformat()
    return ""


def make_table(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class ContactsSection(QWidget):
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[ContactView] = RecordTableModel(
            [
                (
                    QCoreApplication.translate("CardSections", "Name"),
                    lambda c: c.name + (" ★" if c.is_decision_maker else ""),
                ),
                (QCoreApplication.translate("CardSections", "Role"), lambda c: c.role),
                (QCoreApplication.translate("CardSections", "Phone"), lambda c: c.phone),
                (QCoreApplication.translate("CardSections", "Birthday (this year)"), birthday_text),
                (QCoreApplication.translate("CardSections", "Interests"), lambda c: c.interests),
                (QCoreApplication.translate("CardSections", "Family"), lambda c: c.family_notes),
            ],
            self,
        )
        self.table = make_table(self.model, self)
        self.add_button = QPushButton(
            QCoreApplication.translate("CardSections", "Add contact…"), self
        )
        self.add_button.clicked.connect(self.add_requested)
        hint = QLabel(
            QCoreApplication.translate(
                "CardSections", "★ decision maker. Lunar birthdays show their solar date this year."
            )
        )
        hint.setStyleSheet("color: #566573;")
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def show_card(self, card: AccountCard) -> None:
        self.model.set_records(card.contacts)


class ContactDialog(QDialog):
    """A new contact; the validator's message appears at the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("CardSections", "New contact"))
        names = list(CONTACT_FIELDS)
        self.form = FieldForm(CONTACT_FIELDS, names, contact_field_labels(), self)
        self.form.set_values({})
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.form.changes().items() if v not in (None, "", [])}


class EvaluationsSection(QWidget):
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        names = score_labels()
        columns: list[tuple[str, Any]] = [
            (
                QCoreApplication.translate("CardSections", "Date"),
                lambda e: e.evaluated_on.isoformat(),
            )
        ]
        for key in SCORE_FIELDS:
            columns.append((names[key], lambda e, k=key: str(e.scores[k])))
        columns.append(
            (QCoreApplication.translate("CardSections", "Average"), lambda e: f"{e.average:.1f}")
        )
        columns.append((QCoreApplication.translate("CardSections", "Comment"), lambda e: e.comment))
        self.model: RecordTableModel[EvaluationView] = RecordTableModel(columns, self)
        self.table = make_table(self.model, self)
        self.add_button = QPushButton(
            QCoreApplication.translate("CardSections", "New evaluation…"), self
        )
        self.add_button.clicked.connect(self.add_requested)
        bar = QHBoxLayout()
        bar.addWidget(
            QLabel(
                QCoreApplication.translate(
                    "CardSections", "Scores 1 (poor) to 5 (excellent); history is kept."
                )
            ),
            1,
        )
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def show_card(self, card: AccountCard) -> None:
        self.model.set_records(card.evaluations)


class EvaluationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("CardSections", "New evaluation"))
        form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        for key, caption in score_labels().items():
            spin = QSpinBox(self)
            spin.setRange(1, 5)
            spin.setValue(3)
            form.addRow(caption, spin)
            self.spins[key] = spin
        self.comment = QPlainTextEdit(self)
        self.comment.setFixedHeight(60)
        form.addRow(QCoreApplication.translate("CardSections", "Comment"), self.comment)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def scores(self) -> dict[str, int]:
        return {k: s.value() for k, s in self.spins.items()}


class PurchasesSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.monthly: RecordTableModel[tuple[str, int]] = RecordTableModel(
            [
                (QCoreApplication.translate("CardSections", "Month"), lambda m: m[0]),
                (QCoreApplication.translate("CardSections", "Amount ¥"), lambda m: yuan(m[1])),
            ],
            self,
        )
        self.top: RecordTableModel[ProductTotal] = RecordTableModel(
            [
                (QCoreApplication.translate("CardSections", "Product"), lambda p: p.product),
                (QCoreApplication.translate("CardSections", "Quantity"), lambda p: str(p.quantity)),
                (
                    QCoreApplication.translate("CardSections", "Amount ¥"),
                    lambda p: yuan(p.amount_fen),
                ),
            ],
            self,
        )
        self.recent: RecordTableModel[PurchaseView] = RecordTableModel(
            [
                (
                    QCoreApplication.translate("CardSections", "Date"),
                    lambda p: p.purchased_on.isoformat(),
                ),
                (QCoreApplication.translate("CardSections", "Product"), lambda p: p.product),
                (QCoreApplication.translate("CardSections", "Quantity"), lambda p: str(p.quantity)),
                (
                    QCoreApplication.translate("CardSections", "Amount ¥"),
                    lambda p: yuan(p.amount_fen),
                ),
                (
                    QCoreApplication.translate("CardSections", "Settled"),
                    lambda p: (
                        QCoreApplication.translate("CardSections", "Yes")
                        if p.settled
                        else QCoreApplication.translate("CardSections", "No")
                    ),
                ),
                (
                    QCoreApplication.translate("CardSections", "Outstanding ¥"),
                    lambda p: yuan(p.outstanding_fen) if p.outstanding_fen else "",
                ),
            ],
            self,
        )
        grid = QGridLayout()
        grid.addWidget(
            QLabel(QCoreApplication.translate("CardSections", "Last 12 months by month")), 0, 0
        )
        grid.addWidget(
            QLabel(QCoreApplication.translate("CardSections", "Top products (12 months)")), 0, 1
        )
        grid.addWidget(make_table(self.monthly, self), 1, 0)
        grid.addWidget(make_table(self.top, self), 1, 1)
        grid.addWidget(
            QLabel(QCoreApplication.translate("CardSections", "Recent purchase lines")), 2, 0, 1, 2
        )
        grid.addWidget(make_table(self.recent, self), 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)

    def show_card(self, card: AccountCard) -> None:
        p = card.purchases
        last = p.last_purchase.isoformat() if p.last_purchase else "—"
        debt = yuan(p.outstanding_fen)
        style = "color: #c0392b; font-weight: bold;" if p.outstanding_fen else ""
        self.summary.setText(
            QCoreApplication.translate(
                "CardSections",
                "12-month purchases: ¥%1 in %2 lines · last purchase: %3 · outstanding debt: ",
            )
            .replace("%1", yuan(p.amount_12m_fen))
            .replace("%2", str(p.lines_12m))
            .replace("%3", last)
            + f'<span style="{style}">¥{debt}</span>'
        )
        self.monthly.set_records(p.monthly)
        self.top.set_records(p.top_products)
        self.recent.set_records(p.recent)


class StockSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[StockView] = RecordTableModel(
            [
                (QCoreApplication.translate("CardSections", "Product"), lambda s: s.product),
                (QCoreApplication.translate("CardSections", "Quantity"), lambda s: str(s.quantity)),
                (
                    QCoreApplication.translate("CardSections", "Counted on"),
                    lambda s: s.counted_on.isoformat(),
                ),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                QCoreApplication.translate(
                    "CardSections", "Latest count per product (counted at visits)"
                )
            )
        )
        layout.addWidget(make_table(self.model, self))

    def show_card(self, card: AccountCard) -> None:
        self.model.set_records(card.stock)


class VisitsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[VisitView] = RecordTableModel(
            [
                (QCoreApplication.translate("CardSections", "When"), lambda v: when(v.when)),
                (
                    QCoreApplication.translate("CardSections", "Purpose"),
                    lambda v: visit_purpose(v.purpose),
                ),
                (
                    QCoreApplication.translate("CardSections", "Status"),
                    lambda v: visit_status(v.status),
                ),
                (QCoreApplication.translate("CardSections", "Summary"), lambda v: v.summary),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(make_table(self.model, self))

    def show_card(self, card: AccountCard) -> None:
        self.model.set_records(card.visits)


def visit_purpose(code: str) -> str:
    return {
        "routine": QCoreApplication.translate("CardSections", "Routine"),
        "special": QCoreApplication.translate("CardSections", "Special (sales swing)"),
        "retention": QCoreApplication.translate("CardSections", "Retention"),
        "collection": QCoreApplication.translate("CardSections", "Debt collection"),
        "complaint": QCoreApplication.translate("CardSections", "Complaint"),
        "new_product": QCoreApplication.translate("CardSections", "New product"),
        "prospecting": QCoreApplication.translate("CardSections", "Prospecting"),
        "senior": QCoreApplication.translate("CardSections", "Senior visit"),
    }.get(code, code)


def visit_status(code: str) -> str:
    return {
        "planned": QCoreApplication.translate("CardSections", "Planned"),
        "in_progress": QCoreApplication.translate("CardSections", "In progress"),
        "done": QCoreApplication.translate("CardSections", "Done"),
        "skipped": QCoreApplication.translate("CardSections", "Skipped"),
        "cancelled": QCoreApplication.translate("CardSections", "Cancelled"),
    }.get(code, code)


class ComplaintsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[ComplaintView] = RecordTableModel(
            [
                (
                    QCoreApplication.translate("CardSections", "Received"),
                    lambda c: c.received_on.isoformat(),
                ),
                (QCoreApplication.translate("CardSections", "Category"), lambda c: c.category),
                (
                    QCoreApplication.translate("CardSections", "Status"),
                    lambda c: (
                        QCoreApplication.translate("CardSections", "Open")
                        if c.status == "open"
                        else QCoreApplication.translate("CardSections", "Resolved")
                    ),
                ),
                (
                    QCoreApplication.translate("CardSections", "Description"),
                    lambda c: c.description,
                ),
                (QCoreApplication.translate("CardSections", "Resolution"), lambda c: c.resolution),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(make_table(self.model, self))

    def show_card(self, card: AccountCard) -> None:
        self.model.set_records(card.complaints)


class AttachmentsSection(QWidget):
    add_requested = Signal()
    save_requested = Signal(str)  # attachment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kinds = {
            "contract": QCoreApplication.translate("CardSections", "Contract"),
            "photo": QCoreApplication.translate("CardSections", "Photo"),
            "other": QCoreApplication.translate("CardSections", "Other"),
        }
        self.model: RecordTableModel[AttachmentView] = RecordTableModel(
            [
                (QCoreApplication.translate("CardSections", "File"), lambda a: a.filename),
                (
                    QCoreApplication.translate("CardSections", "Kind"),
                    lambda a: kinds.get(a.kind, a.kind),
                ),
                (
                    QCoreApplication.translate("CardSections", "Size"),
                    lambda a: f"{a.size_bytes / 1024:,.0f} KB",
                ),
                (QCoreApplication.translate("CardSections", "Added"), lambda a: when(a.created_at)),
            ],
            self,
        )
        self.table = make_table(self.model, self)
        self.add_button = QPushButton(QCoreApplication.translate("CardSections", "Add file…"), self)
        self.save_button = QPushButton(
            QCoreApplication.translate("CardSections", "Save a copy…"), self
        )
        self.add_button.clicked.connect(self.add_requested)
        self.save_button.clicked.connect(self._save)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(
            QLabel(
                QCoreApplication.translate(
                    "CardSections",
                    "Contract copies and photos are kept inside the encrypted database.",
                )
            ),
            1,
        )
        bar.addWidget(self.add_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table)

    def _save(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        record = self.model.record(rows[0].row()) if rows else None
        if record is not None:
            self.save_requested.emit(record.id)

    def show_card(self, card: AccountCard) -> None:
        self.message.clear()
        self.model.set_records(card.attachments)


class NotesSection(QWidget):
    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = QPlainTextEdit(self)
        self.entry.setPlaceholderText(
            QCoreApplication.translate(
                "CardSections", "Write a note; notes are kept, never overwritten"
            )
        )
        self.entry.setFixedHeight(70)
        self.add_button = QPushButton(QCoreApplication.translate("CardSections", "Add note"), self)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.entry.toPlainText()))
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #c0392b;")
        self.model: RecordTableModel[NoteView] = RecordTableModel(
            [
                (
                    QCoreApplication.translate("CardSections", "Written"),
                    lambda n: when(n.created_at),
                ),
                (QCoreApplication.translate("CardSections", "Note"), lambda n: n.body),
            ],
            self,
        )
        bar = QHBoxLayout()
        bar.addWidget(self.entry, 1)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(make_table(self.model, self))

    def show_card(self, card: AccountCard) -> None:
        self.message.clear()
        self.model.set_records(card.notes)


__all__ = [
    "AttachmentsSection",
    "ComplaintsSection",
    "ContactDialog",
    "ContactsSection",
    "EvaluationDialog",
    "EvaluationsSection",
    "NotesSection",
    "PurchasesSection",
    "StockSection",
    "VisitsSection",
]
