#!/usr/bin/env bash
# Set-up for the public chat page (run by `make setup`) and, with --browser, its browser tests
# (run by `make test`):
#  - the page's one browser dependency, socket.io-client, from npm at the version and integrity
#    pinned in package-lock.json, into node_modules/ (git-ignored; `npm ci` checks every integrity);
#  - --browser: Debian's chromium for the Playwright tests (Playwright's own browser download is
#    not used), and Debian's nginx, the load balancer the production replica tests start in front of
#    two Rasa servers (tests/production; the packaged service itself is not used).
# Re-running is a no-op while package-lock.json is unchanged and chromium and nginx are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs Debian packages as root (CI), through sudo when available, or says what to run.
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "Please install $* (for example: sudo apt-get install -y $*), then run this again." >&2
    exit 1
  fi
}

if ! command -v npm >/dev/null; then
  echo "Installing Node.js and npm (Debian packages)..."
  apt_install nodejs npm
fi

stamp=node_modules/.clair-installed
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing the chat page's browser assets from npm (package-lock.json)..."
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = --browser ] && ! command -v chromium >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (about 100 MB)..."
  apt_install chromium
fi

# The tests run nginx from its binary with their own configuration; Debian installs it here.
if [ "${1:-}" = --browser ] && [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then
  echo "Installing Debian's nginx for the replica tests..."
  apt_install nginx
fi
