"""Editors for the card's fields, built from ``kamdesk.domain.fields`` specs.

Each editor turns the stored value into text and back; a validation message is shown AT the
field (a red line under the editor) and cleared on the next edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.fields import FieldSpec
from kamdesk.ui import labels

ERROR_STYLE = "color: #c0392b;"
INVALID_STYLE = "border: 1px solid #c0392b;"


def localise(message: str, chinese: bool) -> str:
    """Our validation messages read "中文 / English": keep the half the user reads."""
    if " / " not in message:
        return message
    zh, en = message.split(" / ", 1)
    return zh if chinese else en


def _yuan(fen: Any) -> str:
    return "" if fen is None else f"{int(fen) / 100:.2f}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hours_to_text(week: Any) -> str:
    """Seven days as "08:00-22:00; ...": one text when every day is the same."""
    if not isinstance(week, list) or len(week) != 7:
        return ""
    days = [", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in day) or "-" for day in week]
    return days[0] if len(set(days)) == 1 else "; ".join(days)


def text_to_hours(text: str) -> Any:
    """Inverse of ``hours_to_text``; anything unreadable is passed on for the validator."""
    text = text.strip()
    if not text:
        return []
    parts = [p.strip() for p in text.replace("；", ";").split(";")]
    if len(parts) == 1:
        parts = parts * 7
    week: list[list[list[int]]] = []
    for part in parts:
        if part in {"-", ""}:
            week.append([])
            continue
        day: list[list[int]] = []
        for span in part.replace("，", ",").split(","):
            try:
                start, end = (s.strip() for s in span.replace("—", "-").split("-"))
                h1, m1 = (int(x) for x in start.split(":"))
                h2, m2 = (int(x) for x in end.split(":"))
            except ValueError:
                return text  # the validator explains what is wrong
            day.append([h1 * 60 + m1, h2 * 60 + m2])
        week.append(day)
    return week


class FieldEditor(QWidget):
    """One labelled value: an input widget plus a message line under it."""

    edited = Signal(str)

    def __init__(self, name: str, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.spec = spec
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.input: QWidget
        if spec.kind == "enum":
            box = QComboBox(self)
            box.addItem("", None)
            for choice in spec.choices:
                box.addItem(_choice_label(name, choice), choice)
            box.currentIndexChanged.connect(lambda _i: self._changed())
            self.input = box
        elif spec.kind == "bool":
            box = QComboBox(self)
            box.addItem(self.tr("Unknown"), None)
            box.addItem(self.tr("Yes"), True)
            box.addItem(self.tr("No"), False)
            box.currentIndexChanged.connect(lambda _i: self._changed())
            self.input = box
        elif spec.kind == "text":
            edit = QPlainTextEdit(self)
            edit.setFixedHeight(70)
            edit.textChanged.connect(self._changed)
            self.input = edit
        else:
            line = QLineEdit(self)
            line.textEdited.connect(lambda _t: self._changed())
            if spec.kind == "date":
                line.setPlaceholderText("YYYY-MM-DD")
            elif spec.kind == "money":
                line.setPlaceholderText(self.tr("yuan, e.g. 5000.00"))
            elif spec.kind == "list":
                line.setPlaceholderText(self.tr("separate with commas"))
            elif spec.kind == "hours":
                line.setPlaceholderText(self.tr("08:00-22:00, or seven days separated by ;"))
            self.input = line
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.input)
        layout.addWidget(self.error)
        self._loading = False

    def _changed(self) -> None:
        if not self._loading:
            self.clear_error()
            self.edited.emit(self.name)

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            if isinstance(self.input, QComboBox):
                index = self.input.findData(value)
                self.input.setCurrentIndex(max(index, 0))
            elif isinstance(self.input, QPlainTextEdit):
                self.input.setPlainText(str(value or ""))
            elif isinstance(self.input, QLineEdit):
                self.input.setText(self._to_text(value))
                self.input.setCursorPosition(0)
        finally:
            self._loading = False
        self.clear_error()

    def _to_text(self, value: Any) -> str:
        kind = self.spec.kind
        if value is None:
            return ""
        if isinstance(value, str) and kind != "list":
            return value  # text the user typed that did not validate
        if kind == "money":
            return _yuan(value)
        if kind == "list":
            return "，".join(str(v) for v in value)
        if kind == "hours":
            return hours_to_text(value)
        if kind == "date":
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
        if kind == "float":
            return f"{float(value):g}"
        return str(value)

    def value(self) -> Any:
        """The typed value, converted for the validator (which has the last word)."""
        if isinstance(self.input, QComboBox):
            return self.input.currentData()
        if isinstance(self.input, QPlainTextEdit):
            return self.input.toPlainText()
        assert isinstance(self.input, QLineEdit)
        text = self.input.text().strip()
        kind = self.spec.kind
        if kind == "money":
            if not text:
                return None
            try:
                return round(float(text.replace(",", "").replace("¥", "")) * 100)
            except ValueError:
                return text
        if kind == "list":
            return [
                p.strip()
                for p in text.replace("，", ",").replace("、", ",").split(",")
                if p.strip()
            ]
        if kind == "hours":
            return text_to_hours(text)
        if kind in {"int", "float", "date"} and not text:
            return None
        return text

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.input.setStyleSheet(INVALID_STYLE)

    def clear_error(self) -> None:
        self.error.hide()
        self.error.clear()
        self.input.setStyleSheet("")

    def has_error(self) -> bool:
        return not self.error.isHidden()


def _choice_label(field: str, choice: str) -> str:
    if field == "status" or field == "lifecycle_override":
        return labels.lifecycle(choice) if field == "lifecycle_override" else _status(choice)
    if field == "business_format":
        return labels.business_format(choice)
    if field == "loyalty":
        return {
            "loyal": QCoreApplication.translate("FieldEditor", "Loyal"),
            "switching": QCoreApplication.translate("FieldEditor", "Brand-switching"),
            "none": QCoreApplication.translate("FieldEditor", "No brand loyalty"),
        }.get(choice, choice)
    return choice


def _status(choice: str) -> str:
    return {
        "prospect": QCoreApplication.translate("FieldEditor", "Prospect"),
        "active": QCoreApplication.translate("FieldEditor", "Active"),
        "suspended": QCoreApplication.translate("FieldEditor", "Suspended"),
        "closed": QCoreApplication.translate("FieldEditor", "Closed"),
    }.get(choice, choice)


class FieldForm(QWidget):
    """A two-column form of field editors; knows which fields the user changed."""

    changed = Signal()

    def __init__(
        self,
        specs: Mapping[str, FieldSpec],
        names: Sequence[str],
        captions: Mapping[str, str],
        parent: QWidget | None = None,
        *,
        columns: int = 2,
    ) -> None:
        super().__init__(parent)
        self.editors: dict[str, FieldEditor] = {}
        self._loaded: dict[str, Any] = {}
        outer = QVBoxLayout(self)
        row = QWidget(self)
        grid = QHBoxLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        forms = [QFormLayout() for _ in range(columns)]
        per_column = -(-len(names) // columns)
        for index, name in enumerate(names):
            editor = FieldEditor(name, specs[name], self)
            editor.edited.connect(lambda _n: self.changed.emit())
            caption = captions.get(name, name) + ("*" if specs[name].required else "")
            label = QLabel(caption, self)
            label.setBuddy(editor.input)
            forms[index // per_column].addRow(label, editor)
            self.editors[name] = editor
        for form in forms:
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            grid.addLayout(form, 1)
        outer.addWidget(row)
        outer.addStretch(1)

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, editor in self.editors.items():
            editor.set_value(values.get(name))
        # what the editors show for the stored values: a change is a difference from this
        self._loaded = {name: editor.value() for name, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        return {
            name: editor.value()
            for name, editor in self.editors.items()
            if editor.value() != self._loaded.get(name)
        }

    def show_error(self, field: str, message: str) -> bool:
        editor = self.editors.get(field)
        if editor is None:
            return False
        editor.show_error(message)
        editor.input.setFocus()
        return True

    def clear_errors(self) -> None:
        for editor in self.editors.values():
            editor.clear_error()
