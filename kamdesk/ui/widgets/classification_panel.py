"""How an account is classified, and why: one compact block per classification for the card.

Each block shows the result (with any manual override beside the computed value) and the
rule's own explanation with its numbers, Chinese first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.classification import KeyCriterion, Trend
from kamdesk.domain.enums import ApprovalState, Role
from kamdesk.domain.explain import Explanation
from kamdesk.errors import KamdeskError
from kamdesk.services.classification import ClassificationService
from kamdesk.services.classification_explain import AccountClassification
from kamdesk.ui import labels
from kamdesk.ui.tasks import TaskRunner

_BADGE = (
    "QLabel {{ background: {bg}; color: white; border-radius: 3px; padding: 1px 6px;"
    " font-weight: bold; }}"
)
_GOOD, _WARN, _BAD, _NEUTRAL = "#1e8449", "#e67e22", "#c0392b", "#566573"


class ClassificationPanel(QWidget):
    loaded = Signal(str)  # account id
    vip_changed = Signal(str, str)  # account id, new state

    def __init__(
        self,
        service: ClassificationService,
        tasks: TaskRunner | None = None,
        *,
        today: Callable[[], date] = date.today,
        role: Role = Role.MANAGER,
        chinese: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._today = today
        self._role = role
        self._chinese = chinese
        self.result: AccountClassification | None = None
        self._account_id: str | None = None

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(2, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {_BAD};")
        self.message.hide()
        self.propose_button = QPushButton(self.tr("Propose as VIP"), self)
        self.approve_button = QPushButton(self.tr("Approve VIP"), self)
        self.reject_button = QPushButton(self.tr("Reject VIP"), self)
        self.propose_button.clicked.connect(lambda: self._vip("propose"))
        self.approve_button.clicked.connect(lambda: self._vip("approve"))
        self.reject_button.clicked.connect(lambda: self._vip("reject"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.propose_button, self.approve_button, self.reject_button):
            b.hide()
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.grid)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)

    # -- loading ---------------------------------------------------------------------------
    def load(self, account_id: str) -> None:
        """Explain ``account_id`` (in the background when a TaskRunner was given)."""
        self._account_id = account_id
        as_of = self._today()
        service = self._service

        def work(progress: Any = None, cancel: Any = None) -> AccountClassification:
            return service.explain(account_id, as_of)

        def done(result: AccountClassification) -> None:
            if result.account_id == self._account_id:  # a newer load wins
                self.render(result)
                self.loaded.emit(account_id)

        if self._tasks is None:
            try:
                done(work())
            except KamdeskError as exc:
                self._show_error(exc)
            return
        self._tasks.run(work, on_success=done, on_failure=self._show_error)

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, KamdeskError):
            self.message.setText(f"{error.message} [{error.code}]")
        else:
            self.message.setText(str(error))
        self.message.show()

    # -- drawing ---------------------------------------------------------------------------
    def render(self, r: AccountClassification) -> None:
        self.result = r
        self.message.hide()
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._row(0, self.tr("ABC tier"), *self._abc(r), r.abc.explanation)
        self._row(1, self.tr("VIP"), *self._vip_badge(r), r.vip.explanation)
        key = r.key_account
        self._row(
            2,
            self.tr("Key account"),
            self.tr("Meets") if key.meets else self.tr("Not yet"),
            _GOOD if key.meets else _NEUTRAL,
            self._key_text(r),
        )
        life = r.lifecycle
        stage = labels.lifecycle(life.effective.value)
        if life.override is not None and life.override is not life.computed:
            stage = self.tr("%1 (manual; computed %2)").replace("%1", stage)
            stage = stage.replace("%2", labels.lifecycle(life.computed.value))
        colour = _BAD if life.needs_retention_visit else _GOOD
        life_text = self._text(life.explanation)
        if life.needs_retention_visit:
            life_text += "<br><b>" + escape(self.tr("Plan a retention visit.")) + "</b>"
        self._row(3, self.tr("Lifecycle"), stage, colour, life_text)
        row = 4
        if r.relationship is not None:
            g = r.relationship
            text = (
                f"{escape(g.definition_zh if self._chinese else g.definition_en)}<br>"
                + escape(self.tr("Visit purpose: "))
                + escape(g.visit_purpose_zh if self._chinese else g.visit_purpose_en)
                + "<br>"
                + escape(self.tr("Tone: "))
                + escape(g.tone_zh if self._chinese else g.tone_en)
            )
            self._row(row, self.tr("Relationship"), g.grade.value, _NEUTRAL, text)
            row += 1
        if r.man is not None:
            m = r.man
            text = self._text(m.verdict.explanation)
            if m.unknown:
                text += "<br>" + escape(
                    self.tr("Not yet assessed (counted as no): %1").replace(
                        "%1", "".join(m.unknown)
                    )
                )
            colour = _GOOD if m.verdict.priority <= 2 else _BAD if not m.verdict.pursue else _WARN
            self._row(row, self.tr("MAN"), m.verdict.code, colour, text)
            row += 1
        if r.evaluation is not None:
            e = r.evaluation
            arrow = {Trend.UP: "↑", Trend.DOWN: "↓", Trend.FLAT: "→", Trend.NEW: ""}[e.trend]
            colour = {Trend.UP: _GOOD, Trend.DOWN: _BAD}.get(e.trend, _NEUTRAL)
            history = " → ".join(
                f"{p.evaluated_on.year}-{p.evaluated_on.month:02d} {p.total:.1f}"
                for p in r.evaluation_history[-5:]
            )
            text = self._text(e.explanation)
            if len(r.evaluation_history) > 1:
                text += "<br>" + escape(self.tr("History: ")) + escape(history)
            self._row(row, self.tr("Evaluation"), f"{e.total:.1f}{arrow}", colour, text)
        else:
            self._row(
                row,
                self.tr("Evaluation"),
                "—",
                _NEUTRAL,
                escape(self.tr("No evaluation recorded yet.")),
            )
        self._update_buttons(r)

    def _abc(self, r: AccountClassification) -> tuple[str, str]:
        abc = r.abc
        colour = {"A": _BAD, "B": _WARN}.get(abc.effective.value, _NEUTRAL)
        if abc.override is not None and abc.override is not abc.computed:
            shown = self.tr("%1 (manual; computed %2)").replace("%1", abc.override.value)
            return shown.replace("%2", abc.computed.value), colour
        return abc.computed.value, colour

    def _vip_badge(self, r: AccountClassification) -> tuple[str, str]:
        state = r.vip.state
        names = {
            ApprovalState.NONE: (self.tr("No"), _NEUTRAL),
            ApprovalState.CANDIDATE: (self.tr("Candidate"), _WARN),
            ApprovalState.APPROVED: (self.tr("Approved"), _GOOD),
            ApprovalState.REJECTED: (self.tr("Rejected"), _NEUTRAL),
        }
        return names[state]

    def _key_text(self, r: AccountClassification) -> str:
        parts = []
        for v in r.key_account.verdicts:
            text = v.explanation.zh if self._chinese else v.explanation.en
            style = f"color: {_GOOD if v.met else _BAD};"
            if not v.required and v.criterion is not KeyCriterion.GROWTH:
                style += " font-style: italic;"
            parts.append(f'<span style="{style}">{escape(text)}</span>')
        return "<br>".join(parts)

    def _text(self, explanation: Explanation) -> str:
        return escape(explanation.zh if self._chinese else explanation.en)

    def _row(self, row: int, name: str, value: str, colour: str, html: Any) -> None:
        title = QLabel(name, self)
        title.setStyleSheet("font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        badge = QLabel(value, self)
        badge.setStyleSheet(_BADGE.format(bg=colour))
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        holder = QFrame(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text = html if isinstance(html, str) else self._text(html)
        body = QLabel(text, self)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        body.setObjectName(f"explanation_{row}")
        self.grid.addWidget(title, row, 0)
        self.grid.addWidget(holder, row, 1)
        self.grid.addWidget(body, row, 2)

    def explanation_texts(self) -> list[str]:
        """The explanation texts as shown (plain), top to bottom; for tests and copy-out."""
        out = []
        for row in range(self.grid.rowCount()):
            item = self.grid.itemAtPosition(row, 2)
            if item is not None and isinstance(item.widget(), QLabel):
                label = item.widget()
                assert isinstance(label, QLabel)
                out.append(label.text())
        return out

    # -- VIP workflow ----------------------------------------------------------------------
    def _update_buttons(self, r: AccountClassification) -> None:
        decider = self._role in (Role.SUPERVISOR, Role.ADMIN)
        state = r.vip.state
        self.propose_button.setVisible(state in (ApprovalState.NONE, ApprovalState.REJECTED))
        self.approve_button.setVisible(decider and state is ApprovalState.CANDIDATE)
        self.reject_button.setVisible(decider and state is ApprovalState.CANDIDATE)

    def _vip(self, action: str) -> None:
        if self._account_id is None:
            return
        account_id, today = self._account_id, self._today()
        try:
            if action == "propose":
                state = self._service.propose_vip(account_id, on=today)
            elif action == "approve":
                state = self._service.approve_vip(account_id, self._role, on=today)
            else:
                state = self._service.reject_vip(account_id, self._role, on=today)
        except KamdeskError as exc:
            self._show_error(exc)
            return
        self.vip_changed.emit(account_id, state)
        self.load(account_id)
