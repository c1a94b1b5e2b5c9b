#!/usr/bin/env bash
# Prints the path of a Python interpreter that Rasa 3.6 supports (3.8-3.10, 3.10 preferred).
# An explicit PYTHON=... wins; otherwise PATH, then pyenv's versions are searched.
set -euo pipefail

supported() {  # true when "$1" runs and reports Python 3.8, 3.9 or 3.10
  "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
  if supported "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a Python 3.8-3.10 interpreter; Rasa 3.6 needs one (3.10 preferred)." >&2
  exit 1
fi

candidates=()
for name in python3.10 python3.9 python3.8; do
  found=$(command -v "$name" 2>/dev/null || true)
  [ -n "$found" ] && candidates+=("$found")
done
pyenv_root=$( (command -v pyenv >/dev/null && pyenv root) 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for minor in 10 9 8; do
  for dir in $(ls -d "$pyenv_root"/versions/3."$minor".* 2>/dev/null | sort -rV); do
    candidates+=("$dir/bin/python")
  done
done

for candidate in "${candidates[@]}"; do
  if supported "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "No Python 3.8-3.10 interpreter found: install Python 3.10 (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10." >&2
exit 1
