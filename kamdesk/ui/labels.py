"""Display names of stored codes, through Qt's catalogue (one place per string)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kamdesk.domain.enums import BusinessFormat, LifecycleStage


def business_format(code: str) -> str:
    names = {
        BusinessFormat.TOBACCO_LIQUOR: QCoreApplication.translate(
            "labels", "Tobacco & liquor shop"
        ),
        BusinessFormat.GROCERY: QCoreApplication.translate("labels", "Grocery"),
        BusinessFormat.CONVENIENCE: QCoreApplication.translate("labels", "Convenience store"),
        BusinessFormat.SUPERMARKET: QCoreApplication.translate("labels", "Supermarket"),
        BusinessFormat.MALL: QCoreApplication.translate("labels", "Department store"),
        BusinessFormat.ENTERTAINMENT: QCoreApplication.translate("labels", "Entertainment venue"),
    }
    try:
        return names[BusinessFormat(code)]
    except ValueError:
        return code


def lifecycle(code: str) -> str:
    names = {
        LifecycleStage.PROSPECT: QCoreApplication.translate("labels", "Prospect"),
        LifecycleStage.GROWTH: QCoreApplication.translate("labels", "Growth"),
        LifecycleStage.MATURITY: QCoreApplication.translate("labels", "Maturity"),
        LifecycleStage.DECLINE: QCoreApplication.translate("labels", "Decline"),
        LifecycleStage.ENDED: QCoreApplication.translate("labels", "Ended"),
    }
    try:
        return names[LifecycleStage(code)]
    except ValueError:
        return code
