"""Identifiers, hybrid clock, search keys, field validation and settings."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.fields import ACCOUNT_FIELDS, clean_fields
from kamdesk.domain.hlc import HybridClock, Timestamp
from kamdesk.domain.search_text import build_search_text, pinyin_keys
from kamdesk.errors import ValidationError
from kamdesk.ids import uuid7, uuid7_batch
from kamdesk.settings import SCHEMA_VERSION, Settings, load_settings, save_settings


def test_uuid7_is_version_7_and_monotonic() -> None:
    ids = [uuid7() for _ in range(2000)] + uuid7_batch(5000) + [uuid7() for _ in range(10)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_clock_never_goes_back_when_the_wall_clock_does() -> None:
    wall = iter([1000, 2000, 1500, 1500, 3000])
    clock = HybridClock("n1", now_ms=lambda: next(wall))
    stamps = [clock.tick() for _ in range(5)]
    assert stamps == sorted(stamps)
    assert stamps[2] == Timestamp(2000, 1)
    assert Timestamp.decode(stamps[1].encode("n1")) == stamps[1]


def test_pinyin_keys_find_shops_by_initials() -> None:
    assert pinyin_keys("宏兴烟酒") == ("hongxingyanjiu", "hxyj")
    haystack = build_search_text(["宏兴烟酒", "HF000001", None, "王伟"])
    assert "hxyj" in haystack
    assert "hf000001" in haystack
    assert "ww" in haystack


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_validates_or_names_the_field(text: str) -> None:
    try:
        cleaned = clean_fields(ACCOUNT_FIELDS, {"address": text})
    except ValidationError as exc:
        assert exc.field == "address"  # noqa: PT017 - either outcome is checked
    else:
        assert len(cleaned["address"]) <= ACCOUNT_FIELDS["address"].max_len
        assert "\x00" not in cleaned["address"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "call me", "validation.phone"),
        ("latitude", 123.0, "validation.range"),
        ("business_format", "casino", "validation.choice"),
        ("licence_expiry", "31/12/2026", "validation.date"),
        ("credit_limit_fen", "lots", "validation.number"),
        ("opening_hours", [[[600, 500]]] * 7, "validation.hours_interval"),
        ("opening_hours", [[[480, 720], [700, 1200]]] * 7, "validation.hours_overlap"),
        ("opening_hours", [[]] * 6, "validation.hours_days"),
        ("name", "", "validation.required"),
    ],
)
def test_bad_values_get_specific_codes(field: str, value: object, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_fields(ACCOUNT_FIELDS, {field: value})
    assert err.value.field == field
    assert err.value.code == code
    assert ACCOUNT_FIELDS[field].label_zh in err.value.message


def test_settings_upgrade_and_damage_recovery(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "locale": "en", "bogus": 1}))
    upgraded = load_settings(path)
    assert upgraded.language == "en"
    assert upgraded.schema_version == SCHEMA_VERSION
    save_settings(Settings(language="zh_CN"), path)
    assert load_settings(path).language == "zh_CN"
    path.write_text("{not json")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.damaged.json").exists()
