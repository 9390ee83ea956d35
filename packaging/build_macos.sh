#!/usr/bin/env bash
# Build the macOS app dist/KAMDesk.app (and the one-folder dist/kamdesk/ it wraps).
# UNTESTED: written for macOS 12+ with Python 3.11+ (python.org or Homebrew); it has never been
# run (the project's CI is Linux only). Build on the oldest macOS you support, once per CPU
# architecture (arm64, x86_64). See packaging/README.md for signing and notarisation.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x build/venv/bin/python ] || python3 -m venv build/venv
  . build/venv/bin/activate
fi
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[package]"
rm -rf dist/kamdesk dist/KAMDesk.app
python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/kamdesk.spec
echo "built dist/KAMDesk.app (open dist/KAMDesk.app --args --demo)"
