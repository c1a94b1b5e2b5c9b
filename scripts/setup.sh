#!/usr/bin/env bash
# Builds .venv/ from requirements.lock. Re-running is a no-op while the lock and the interpreter
# are unchanged: the stamp records a hash of both.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
python=$(scripts/find-python.sh)
want="$(sha256sum requirements.lock | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version)' | head -1)"
stamp="$venv/.installed"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi

echo "Setting up $venv with $python (a first install downloads about 1 GB and takes a few minutes)..."
if ! "$venv/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -qq --disable-pip-version-check --upgrade "pip<25"
"$venv/bin/python" -m pip install -qq --disable-pip-version-check -r requirements.lock
echo "$want" > "$stamp"
echo "Set-up done."
