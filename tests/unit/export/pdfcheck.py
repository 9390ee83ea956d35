"""Reading generated PDFs back for assertions (pypdf)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

_SPACE = re.compile(r"\s+")
SUBSET_NAME = re.compile(r"^/[A-Z]{6}\+")


def squash(text: str) -> str:
    """Text without any whitespace: extraction splits lines and cells unpredictably."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class ParsedPdf:
    reader: PdfReader
    pages: list[str]  # squashed text per page

    @property
    def text(self) -> str:
        return "".join(self.pages)


def parse(content: bytes) -> ParsedPdf:
    reader = PdfReader(io.BytesIO(content))
    return ParsedPdf(reader, [squash(p.extract_text()) for p in reader.pages])


@dataclass(frozen=True)
class FontInfo:
    base_font: str
    subtype: str
    embedded: bool
    has_to_unicode: bool


def page_fonts(parsed: ParsedPdf) -> list[list[FontInfo]]:
    out: list[list[FontInfo]] = []
    for page in parsed.reader.pages:
        fonts: list[FontInfo] = []
        resources = page["/Resources"]
        assert isinstance(resources, DictionaryObject)
        font_dict = resources["/Font"].get_object()
        assert isinstance(font_dict, DictionaryObject)
        for ref in font_dict.values():
            font = ref.get_object()
            assert isinstance(font, DictionaryObject)
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.append(
                FontInfo(
                    str(font["/BaseFont"]), str(font["/Subtype"]), embedded, "/ToUnicode" in font
                )
            )
        out.append(fonts)
    return out
