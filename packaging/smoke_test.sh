#!/usr/bin/env bash
# Smoke-test the built bundle: `kamdesk --version`, then one offscreen start on a fresh demo
# workspace (creates it: migrations, SQLCipher, pinyin search text), which must reach the main
# window with a loaded account list (`--smoke-test` prints "smoke ok: N accounts"), and a PDF
# export from that workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/kamdesk/kamdesk
[ -x "$app" ] || { echo "smoke: $app is missing; run packaging/build_linux.sh" >&2; exit 1; }

expected="kamdesk $(sed -n 's/^__version__ = "\(.*\)"$/\1/p' kamdesk/__init__.py)"
version=$("$app" --version)
if [ "$version" != "$expected" ]; then
  echo "smoke: --version printed '$version', expected '$expected'" >&2
  exit 1
fi
echo "smoke: $version"

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export QT_QPA_PLATFORM=offscreen KAMDESK_HOME="$home"
# CI has no desktop keyring; the demo then uses its published passphrase (never real data)
export PYTHON_KEYRING_BACKEND="${PYTHON_KEYRING_BACKEND:-keyring.backends.fail.Keyring}"
start=$(date +%s)
set +e
out=$(timeout 600 "$app" --demo --smoke-test 2>&1)
rc=$?
set -e
echo "$out" | tail -n 20
if [ "$rc" -ne 0 ] || ! grep -q "^smoke ok: [1-9][0-9]* accounts$" <<<"$out"; then
  echo "smoke: the bundle failed to start on the demo data (exit $rc)" >&2
  exit 1
fi
[ -f "$home/data/demo/kamdesk-demo.db" ] || { echo "smoke: no demo workspace written" >&2; exit 1; }
echo "smoke: started on the demo data in $(($(date +%s) - start)) s"

# a PDF dossier from the same workspace: reportlab, rl-accel and the bundled CJK font
KAMDESK_PASSPHRASE=kamdesk-demo "$app" export dossier --account HF000001 \
  --path "$home/data/demo/kamdesk-demo.db" -o "$home/dossier.pdf"
if [ "$(head -c 5 "$home/dossier.pdf")" != "%PDF-" ]; then
  echo "smoke: the dossier export wrote no PDF" >&2
  exit 1
fi
echo "smoke: dossier PDF $(wc -c <"$home/dossier.pdf") bytes"
echo "smoke: all passed"
