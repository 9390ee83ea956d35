"""The first page rasterises to a real page (pdftoppm), not a blank or a box-filled one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from kamdesk.export import render_dossier

from .factories import OPTIONS, make_dossier

PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed; CI installs it"
)
def test_first_page_renders_with_ink(tmp_path: Path) -> None:
    assert PDFTOPPM is not None
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(render_dossier(make_dossier(), OPTIONS))
    subprocess.run(
        [
            PDFTOPPM,
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(pdf),
            str(tmp_path / "p1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with Image.open(tmp_path / "p1.png") as image:
        assert image.size == (497, 702)  # A4 at 60 dpi, as poppler rounds it
        grey = image.convert("L")
        inked = sum(grey.histogram()[:200]) / (grey.width * grey.height)
        assert 0.03 < inked < 0.5, inked  # text and bands, but not a solid or empty page
        assert ImageStat.Stat(grey).stddev[0] > 20
        # The title area (top left) carries dark glyphs: the account name in the CJK font.
        title = grey.crop((30, 60, 250, 100))
        assert ImageStat.Stat(title).extrema[0][0] < 100
