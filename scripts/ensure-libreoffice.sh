#!/usr/bin/env bash
# The spreadsheet test (tests/test_xlsx.py, slow) opens data/rdv-isere.xlsx in a real LibreOffice:
# install Debian's headless Calc when missing (root, apt).
set -euo pipefail
command -v soffice >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "LibreOffice is missing: install Debian's 'libreoffice-calc-nogui' package" \
    "(needed by tests/test_xlsx.py)" >&2
  exit 1
fi
echo "installing LibreOffice Calc (Debian package libreoffice-calc-nogui) for the spreadsheet test"
apt-get update -qq
# no recommends (fonts, Java): converting to CSV needs none of them
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libreoffice-calc-nogui >/dev/null
