"""Display names and colours of reminder kinds (stored codes stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

_COLOURS = {
    "callback": "#1e88e5",
    "follow_up": "#3949ab",
    "birthday": "#d81b60",
    "holiday_greeting": "#e53935",
    "holiday_stock": "#fb8c00",
    "licence_expiry": "#6d4c41",
    "debt": "#c62828",
    "reorder": "#43a047",
    "prospect_contact": "#8e24aa",
    "customer_contact": "#00897b",
}


def kind_label(kind: str) -> str:
    names = {
        "callback": QCoreApplication.translate("reminder_labels", "Callback"),
        "follow_up": QCoreApplication.translate("reminder_labels", "Follow-up"),
        "birthday": QCoreApplication.translate("reminder_labels", "Birthday"),
        "holiday_greeting": QCoreApplication.translate("reminder_labels", "Holiday greeting"),
        "holiday_stock": QCoreApplication.translate("reminder_labels", "Holiday stock plan"),
        "licence_expiry": QCoreApplication.translate("reminder_labels", "Licence expiry"),
        "debt": QCoreApplication.translate("reminder_labels", "Debt collection"),
        "reorder": QCoreApplication.translate("reminder_labels", "Reorder"),
        "prospect_contact": QCoreApplication.translate("reminder_labels", "Prospect contact"),
        "customer_contact": QCoreApplication.translate("reminder_labels", "Customer contact"),
    }
    return names.get(kind, kind)


def kind_colour(kind: str) -> QColor:
    return QColor(_COLOURS.get(kind, "#757575"))
