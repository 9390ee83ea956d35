"""Refresh the Qt translation catalogue: extract strings, merge translations, compile .qm.

    python tools/i18n.py                 # lupdate + lrelease
    python tools/i18n.py --fill new.json # also set translations {"context|source": "译文"}
    python tools/i18n.py --check         # exit 1 if any string is untranslated or .qm is stale

Source strings are English (``tr()`` in kamdesk/ui); Simplified Chinese is the first language.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "kamdesk_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).with_name(name))


def lupdate(ts: Path) -> None:
    sources = sorted(str(p) for p in (ROOT / "kamdesk" / "ui").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )


def untranslated(ts: Path) -> list[str]:
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = message.get("numerus") == "yes"
            empty = translation is None or (
                not (translation.text or "").strip()
                if not numerus
                else not any((f.text or "").strip() for f in translation.iter("numerusform"))
            )
            if empty or (translation is not None and translation.get("type") == "unfinished"):
                missing.append(f"{name}|{message.findtext('source', '')}")
    return missing


def fill(ts: Path, translations: dict[str, str]) -> int:
    tree = ET.parse(ts)
    changed = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = f"{name}|{message.findtext('source', '')}"
            text = translations.get(key)
            if text is None:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for child in list(translation):
                    translation.remove(child)
                ET.SubElement(translation, "numerusform").text = text
                translation.text = None
            else:
                translation.text = text
            changed += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            ts = Path(tmp) / TS.name
            shutil.copy(TS, ts)
            lupdate(ts)
            missing = untranslated(ts)
            qm = Path(tmp) / QM.name
            lrelease(TS, qm)
            stale = qm.read_bytes() != QM.read_bytes()
        for key in missing:
            print(f"untranslated: {key}")
        if stale:
            print(f"{QM.name} is older than {TS.name}: run python tools/i18n.py")
        return 1 if missing or stale else 0
    TS.parent.mkdir(parents=True, exist_ok=True)
    lupdate(TS)
    if args.fill:
        print(f"filled {fill(TS, json.loads(args.fill.read_text(encoding='utf-8')))} strings")
    lrelease(TS, QM)
    for key in untranslated(TS):
        print(f"untranslated: {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
