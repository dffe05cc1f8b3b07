#!/usr/bin/env bash
# The browser tests need Debian's chromium: install it when missing (root, apt).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing: install Debian's 'chromium' package (needed by tests/test_site.py)" >&2
  exit 1
fi
echo "installing chromium (Debian package) for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
