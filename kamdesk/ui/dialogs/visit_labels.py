"""Display names of visit purposes and feedback choices (stored codes stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kamdesk.domain.enums import VisitPurpose


def purpose_label(code: str) -> str:
    names = {
        VisitPurpose.ROUTINE: QCoreApplication.translate("visit_labels", "Routine visit"),
        VisitPurpose.SPECIAL: QCoreApplication.translate("visit_labels", "Special visit"),
        VisitPurpose.RETENTION: QCoreApplication.translate("visit_labels", "Retention visit"),
        VisitPurpose.COLLECTION: QCoreApplication.translate("visit_labels", "Debt collection"),
        VisitPurpose.COMPLAINT: QCoreApplication.translate("visit_labels", "Complaint handling"),
        VisitPurpose.NEW_PRODUCT: QCoreApplication.translate("visit_labels", "New product"),
        VisitPurpose.PROSPECTING: QCoreApplication.translate("visit_labels", "Prospecting"),
        VisitPurpose.SENIOR: QCoreApplication.translate("visit_labels", "Senior management visit"),
    }
    try:
        return names[VisitPurpose(code)]
    except ValueError:
        return code


def sell_through_choices() -> list[tuple[str, str]]:
    return [
        ("", QCoreApplication.translate("visit_labels", "— not asked —")),
        ("fast", QCoreApplication.translate("visit_labels", "Selling fast")),
        ("normal", QCoreApplication.translate("visit_labels", "Selling normally")),
        ("slow", QCoreApplication.translate("visit_labels", "Selling slowly")),
    ]


def repurchase_choices() -> list[tuple[str, str]]:
    return [
        ("", QCoreApplication.translate("visit_labels", "— not asked —")),
        ("high", QCoreApplication.translate("visit_labels", "Customers come back often")),
        ("normal", QCoreApplication.translate("visit_labels", "Some come back")),
        ("low", QCoreApplication.translate("visit_labels", "Few come back")),
    ]
