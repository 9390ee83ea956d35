"""User settings: declared once with types and a schema version, upgraded by versioned steps.

Stored as JSON in the config folder (nothing secret ever goes here). A damaged file is kept
aside and replaced by defaults, never a crash at start-up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kamdesk.paths import app_paths

SCHEMA_VERSION = 2


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    language: str = ""  # "" = follow the system
    server_url: str = ""
    username: str = ""
    sync_interval_minutes: int = 10
    saved_filters: dict[str, Any] = field(default_factory=dict)
    backup_dir: str = ""
    travel_mode: str = "car"
    recovery_key_confirmed: bool = False  # the start-up reminder stops once the key was shown


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    # v1 called the language "locale"
    raw = dict(raw)
    if "locale" in raw:
        raw["language"] = raw.pop("locale")
    raw["schema_version"] = 2
    return raw


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    version = int(raw.get("schema_version", 1))
    while version < SCHEMA_VERSION:
        raw = UPGRADES[version](raw)
        version = int(raw["schema_version"])
    return raw


def load_settings(path: Path | None = None) -> Settings:
    path = path or app_paths().settings_file
    if not path.exists():
        return Settings()
    try:
        raw = _upgrade(json.loads(path.read_text(encoding="utf-8")))
        known = {f.name for f in fields(Settings)}
        return Settings(**{k: v for k, v in raw.items() if k in known})
    except (ValueError, TypeError, KeyError):
        path.replace(path.with_suffix(".damaged.json"))
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or app_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
