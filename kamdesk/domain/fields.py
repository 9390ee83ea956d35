"""What each editable field of an account card or contact accepts, with specific messages.

The UI shows the message at the field; imports report it with row and column. Every length
limit on user text lives here: ``FieldSpec.max_len`` per card and contact field;
``NOTE_MAX_LEN``, ``COMMENT_MAX_LEN``, ``VISIT_TEXT_MAX_LEN`` and ``FOLLOW_UP_TITLE_MAX_LEN``
for free-text records; ``LIST_MAX_ITEMS`` and ``LIST_ITEM_MAX_LEN`` for tag-like lists. Text
never carries NUL, other control characters (tab, CR and LF excepted) or unpaired UTF-16
surrogates: SQLite, XML (xlsx) and iCalendar output cannot hold them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamdesk.domain.enums import (
    AbcTier,
    AccountStatus,
    BusinessFormat,
    LifecycleStage,
    Loyalty,
    RelationshipGrade,
)
from kamdesk.errors import ValidationError

PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")
LICENCE_RE = re.compile(r"^[0-9A-Za-z\-]{6,32}$")
# C0 controls except tab, LF and CR, plus DEL; unpaired surrogates (not encodable as UTF-8)
CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE_RE = re.compile("[\ud800-\udfff]")

NOTE_MAX_LEN = 20_000  # an account note (append-only), like the card's remarks
COMMENT_MAX_LEN = 2_000  # an evaluation's comment
VISIT_TEXT_MAX_LEN = 20_000  # a visit's summary and each feedback answer
FOLLOW_UP_TITLE_MAX_LEN = 200  # a follow-up (it becomes a reminder title)
LIST_MAX_ITEMS = 50  # tags, brands, consumer groups
LIST_ITEM_MAX_LEN = 50


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: str  # str | text | int | money | float | bool | date | enum | list | hours | phone
    label_zh: str
    label_en: str
    required: bool = False
    max_len: int = 200
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def _enum(values: type[Any]) -> tuple[str, ...]:
    return tuple(v.value for v in values)


ACCOUNT_FIELDS: dict[str, FieldSpec] = {
    "code": FieldSpec("str", "客户编码", "Account code", required=True, max_len=32),
    "name": FieldSpec("str", "店名", "Shop name", required=True, max_len=100),
    "legal_name": FieldSpec("str", "工商名称", "Legal name", max_len=150),
    "licence_no": FieldSpec("licence", "许可证号", "Licence no.", max_len=32),
    "licence_expiry": FieldSpec("date", "许可证到期", "Licence expiry"),
    "owner_name": FieldSpec("str", "负责人", "Owner", max_len=50),
    "phone": FieldSpec("phone", "电话", "Phone", max_len=32),
    "business_format": FieldSpec(
        "enum", "业态", "Business format", required=True, choices=_enum(BusinessFormat)
    ),
    "address": FieldSpec("str", "地址", "Address", max_len=200),
    "district": FieldSpec("str", "区", "District", max_len=50),
    "street": FieldSpec("str", "街道", "Street", max_len=100),
    "latitude": FieldSpec("float", "纬度", "Latitude", minimum=-90, maximum=90),
    "longitude": FieldSpec("float", "经度", "Longitude", minimum=-180, maximum=180),
    "opening_hours": FieldSpec("hours", "营业时间", "Opening hours"),
    "area_m2": FieldSpec("float", "经营面积(㎡)", "Floor area (m²)", minimum=0, maximum=100000),
    "status": FieldSpec("enum", "状态", "Status", choices=_enum(AccountStatus)),
    "lifecycle_override": FieldSpec(
        "enum", "生命周期(人工)", "Lifecycle (manual)", choices=_enum(LifecycleStage)
    ),
    "relationship_grade": FieldSpec(
        "enum", "关系等级", "Relationship grade", choices=_enum(RelationshipGrade)
    ),
    "loyalty": FieldSpec("enum", "忠诚度", "Loyalty", choices=_enum(Loyalty)),
    "abc_override": FieldSpec("enum", "ABC(人工)", "ABC (manual)", choices=_enum(AbcTier)),
    "man_money": FieldSpec("bool", "购买力(M)", "Money (M)"),
    "man_authority": FieldSpec("bool", "决策权(A)", "Authority (A)"),
    "man_need": FieldSpec("bool", "需求(N)", "Need (N)"),
    "credit_limit_fen": FieldSpec("money", "信用额度", "Credit limit", minimum=0, maximum=10**11),
    "credit_terms_days": FieldSpec(
        "int", "账期(天)", "Credit terms (days)", minimum=0, maximum=365
    ),
    "price_group": FieldSpec("str", "价格组", "Price group", max_len=16),
    "lead_time_days": FieldSpec("int", "到货周期(天)", "Lead time (days)", minimum=0, maximum=60),
    "downstream_customers": FieldSpec(
        "int", "下游客户数", "Downstream customers", minimum=0, maximum=100000
    ),
    "coverage": FieldSpec("str", "辐射范围", "Coverage", max_len=200),
    "warehouse_m2": FieldSpec("float", "仓储面积(㎡)", "Warehouse (m²)", minimum=0, maximum=10**6),
    "vehicles": FieldSpec("int", "车辆", "Vehicles", minimum=0, maximum=1000),
    "staff": FieldSpec("int", "员工", "Staff", minimum=0, maximum=10000),
    "capital_fen": FieldSpec("money", "资金实力", "Capital", minimum=0, maximum=10**13),
    "best_selling_brands": FieldSpec("list", "畅销品牌", "Best-selling brands held"),
    "consumer_groups": FieldSpec("list", "主要消费群体", "Main consumer groups"),
    "tags": FieldSpec("list", "标签", "Tags"),
    "remarks": FieldSpec("text", "备注", "Remarks", max_len=20000),
}

CONTACT_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec("str", "姓名", "Name", required=True, max_len=50),
    "role": FieldSpec("str", "职务", "Role", max_len=50),
    "phone": FieldSpec("phone", "电话", "Phone", max_len=32),
    "birthday": FieldSpec("date", "生日", "Birthday"),
    "birthday_lunar": FieldSpec("bool", "农历生日", "Lunar birthday"),
    "lunar_month": FieldSpec("int", "农历月", "Lunar month", minimum=1, maximum=12),
    "lunar_day": FieldSpec("int", "农历日", "Lunar day", minimum=1, maximum=30),
    "lunar_leap": FieldSpec("bool", "闰月", "Leap month"),
    "interests": FieldSpec("str", "兴趣爱好", "Interests", max_len=200),
    "family_notes": FieldSpec("text", "家庭情况", "Family", max_len=5000),
    "is_decision_maker": FieldSpec("bool", "决策人", "Decision maker"),
}


def _fail(field: str, spec: FieldSpec, why_zh: str, why_en: str, code: str) -> ValidationError:
    return ValidationError(
        f"{spec.label_zh}：{why_zh} / {spec.label_en}: {why_en}", field=field, code=code
    )


def _clean_hours(field: str, spec: FieldSpec, value: Any) -> list[list[list[int]]]:
    if not isinstance(value, list) or len(value) != 7:
        raise _fail(
            field,
            spec,
            "需要周一到周日7天",
            "needs seven days, Monday to Sunday",
            "validation.hours_days",
        )
    week: list[list[list[int]]] = []
    for day in value:
        intervals = sorted([int(a), int(b)] for a, b in day)
        for (a, b), nxt in zip(intervals, [*intervals[1:], None], strict=True):
            if not 0 <= a < b <= 24 * 60:
                raise _fail(
                    field,
                    spec,
                    "营业时段无效",
                    "an opening interval is invalid",
                    "validation.hours_interval",
                )
            if nxt is not None and nxt[0] < b:
                raise _fail(
                    field,
                    spec,
                    "营业时段重叠",
                    "opening intervals overlap",
                    "validation.hours_overlap",
                )
        week.append(intervals)
    return week


def check_characters(field: str, spec: FieldSpec, text: str) -> None:
    """Refuse NUL, control characters and unpaired surrogates, each with its own code."""
    if "\x00" in text:
        raise _fail(field, spec, "含有非法字符", "contains a NUL character", "validation.nul")
    if CONTROL_RE.search(text):
        raise _fail(
            field, spec, "含有控制字符", "contains a control character", "validation.control_char"
        )
    if SURROGATE_RE.search(text):
        raise _fail(
            field,
            spec,
            "含有无效的字符编码",
            "contains an invalid character (unpaired surrogate)",
            "validation.encoding",
        )


def clean_text(field: str, label_zh: str, label_en: str, value: Any, max_len: int) -> str:
    """A free-text record (a note, a comment): must be text, within ``max_len`` characters."""
    spec = FieldSpec("text", label_zh, label_en, max_len=max_len)
    if not isinstance(value, str):
        raise _fail(field, spec, "需要文字", "must be text", "validation.text")
    result: str = clean_value(field, spec, value)
    return result


def clean_value(field: str, spec: FieldSpec, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip() and spec.kind != "text"):
        if spec.required:
            raise _fail(field, spec, "不能为空", "is required", "validation.required")
        return (
            ""
            if spec.kind in {"str", "phone", "licence", "text"}
            else ([] if spec.kind == "list" else None)
        )
    kind = spec.kind
    if kind in {"str", "text", "phone", "licence"}:
        if not isinstance(value, str):
            value = str(value)
        text = value.strip() if kind != "text" else value
        check_characters(field, spec, text)
        if len(text) > spec.max_len:
            raise _fail(
                field,
                spec,
                f"最多{spec.max_len}个字符",
                f"at most {spec.max_len} characters",
                "validation.too_long",
            )
        if kind == "phone" and not PHONE_RE.match(text):
            raise _fail(
                field, spec, "电话号码格式不正确", "is not a phone number", "validation.phone"
            )
        if kind == "licence" and not LICENCE_RE.match(text):
            raise _fail(
                field,
                spec,
                "许可证号应为6-32位字母或数字",
                "must be 6-32 letters or digits",
                "validation.licence",
            )
        return text
    if kind in {"int", "money", "float"}:
        try:
            if isinstance(value, bool):
                raise TypeError
            number: float = float(value) if kind == "float" else int(value)
            if not math.isfinite(number):
                raise ValueError(number)
        except (TypeError, ValueError, OverflowError):
            raise _fail(field, spec, "需要数字", "must be a number", "validation.number") from None
        if spec.minimum is not None and number < spec.minimum:
            raise _fail(
                field,
                spec,
                f"不能小于{spec.minimum:g}",
                f"must be at least {spec.minimum:g}",
                "validation.range",
            )
        if spec.maximum is not None and number > spec.maximum:
            raise _fail(
                field,
                spec,
                f"不能大于{spec.maximum:g}",
                f"must be at most {spec.maximum:g}",
                "validation.range",
            )
        return number
    if kind == "bool":
        if not isinstance(value, bool):
            raise _fail(field, spec, "需要是/否", "must be yes or no", "validation.bool")
        return value
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise _fail(
                field,
                spec,
                "日期格式应为YYYY-MM-DD",
                "must be a date YYYY-MM-DD",
                "validation.date",
            ) from None
    if kind == "enum":
        if str(value) not in spec.choices:
            raise _fail(
                field,
                spec,
                "取值无效",
                f"must be one of {', '.join(spec.choices)}",
                "validation.choice",
            )
        return str(value)
    if kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise _fail(field, spec, "需要文字列表", "must be a list of texts", "validation.list")
        items = [v.strip() for v in value if v.strip()]
        if len(items) > LIST_MAX_ITEMS:
            raise _fail(
                field,
                spec,
                f"最多{LIST_MAX_ITEMS}项",
                f"at most {LIST_MAX_ITEMS} entries",
                "validation.too_many",
            )
        for item in items:
            check_characters(field, spec, item)
            if len(item) > LIST_ITEM_MAX_LEN:
                raise _fail(
                    field,
                    spec,
                    f"每项最多{LIST_ITEM_MAX_LEN}个字符",
                    f"each entry is at most {LIST_ITEM_MAX_LEN} characters",
                    "validation.too_long",
                )
        return items
    if kind == "hours":
        return _clean_hours(field, spec, value)
    raise AssertionError(f"unknown field kind {kind}")


def clean_fields(
    specs: Mapping[str, FieldSpec], changes: Mapping[str, Any], *, creating: bool = False
) -> dict[str, Any]:
    """Validated, normalised copy of ``changes``; the first bad field raises ValidationError."""
    unknown = sorted(set(changes) - set(specs))
    if unknown:
        raise ValidationError(
            f"Unknown field(s): {', '.join(unknown)}",
            field=unknown[0],
            code="validation.unknown_field",
        )
    cleaned = {name: clean_value(name, specs[name], value) for name, value in changes.items()}
    if creating:
        for name, spec in specs.items():
            if spec.required and name not in cleaned:
                cleaned[name] = clean_value(name, spec, None)
    return cleaned
