#!/usr/bin/env sh
# Install what the tests need into the active Python environment and run every check.
# Used as-is by the README and by .ci/run.
set -eu
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[test]"
echo "== ruff" && python -m ruff check . && python -m ruff format --check .
echo "== mypy" && python -m mypy
echo "== import contracts" && lint-imports
echo "== translations" && python tools/i18n.py --check
echo "== pytest" && python -m pytest "$@"
