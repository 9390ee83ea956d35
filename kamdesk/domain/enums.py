"""Vocabulary shared by every layer (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum


class BusinessFormat(StrEnum):
    TOBACCO_LIQUOR = "tobacco_liquor"  # 烟酒店
    GROCERY = "grocery"  # 食杂店
    CONVENIENCE = "convenience"  # 便利店
    SUPERMARKET = "supermarket"  # 超市
    MALL = "mall"  # 商场
    ENTERTAINMENT = "entertainment"  # 娱乐服务


class AccountStatus(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class LifecycleStage(StrEnum):
    PROSPECT = "prospect"  # 潜在获取期
    GROWTH = "growth"  # 成长期
    MATURITY = "maturity"  # 成熟期
    DECLINE = "decline"  # 衰退期
    ENDED = "ended"  # 终止期


class AbcTier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class RelationshipGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Loyalty(StrEnum):
    LOYAL = "loyal"
    SWITCHING = "switching"
    NONE = "none"


class ApprovalState(StrEnum):
    NONE = "none"
    CANDIDATE = "candidate"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProductStatus(StrEnum):
    ACTIVE = "active"
    DELISTED = "delisted"


class VisitStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class VisitPurpose(StrEnum):
    ROUTINE = "routine"
    SPECIAL = "special"  # 特殊拜访: sales swing
    RETENTION = "retention"
    COLLECTION = "collection"
    COMPLAINT = "complaint"
    NEW_PRODUCT = "new_product"
    PROSPECTING = "prospecting"
    SENIOR = "senior"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class AttachmentKind(StrEnum):
    CONTRACT = "contract"
    PHOTO = "photo"
    OTHER = "other"


class Role(StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DELIVERED = "delivered"


BUSINESS_FORMAT_ZH: dict[BusinessFormat, str] = {
    BusinessFormat.TOBACCO_LIQUOR: "烟酒店",
    BusinessFormat.GROCERY: "食杂店",
    BusinessFormat.CONVENIENCE: "便利店",
    BusinessFormat.SUPERMARKET: "超市",
    BusinessFormat.MALL: "商场",
    BusinessFormat.ENTERTAINMENT: "娱乐服务",
}

LIFECYCLE_ZH: dict[LifecycleStage, str] = {
    LifecycleStage.PROSPECT: "潜在获取期",
    LifecycleStage.GROWTH: "成长期",
    LifecycleStage.MATURITY: "成熟期",
    LifecycleStage.DECLINE: "衰退期",
    LifecycleStage.ENDED: "终止期",
}
