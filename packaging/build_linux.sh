#!/usr/bin/env bash
# Build the Linux one-folder bundle dist/kamdesk/ with PyInstaller (packaging/kamdesk.spec).
#
# Uses the active virtual environment if there is one (CI: .ci-venv), else creates build/venv.
# Needs Python 3.11+ with venv; see packaging/README.md for the system packages Qt needs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x build/venv/bin/python ] || python3 -m venv build/venv
  . build/venv/bin/activate
fi
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[package]"

start=$(date +%s)
rm -rf dist/kamdesk
python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/kamdesk.spec
echo "built dist/kamdesk/ in $(($(date +%s) - start)) s, $(du -sh dist/kamdesk | cut -f1)"
