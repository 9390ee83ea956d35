"""Who exports, when, and in which language: the same for every document of a batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kamdesk.export.labels import Lang


@dataclass(frozen=True, slots=True)
class ExportOptions:
    lang: Lang = Lang.ZH
    generated_by: str = ""
    generated_at: datetime | None = None  # None: the moment each document is made

    def timestamp(self) -> datetime:
        return self.generated_at or datetime.now().replace(microsecond=0)
