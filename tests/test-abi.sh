#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The ABI of libauthgear-glib-1.so.0 is the one recorded in
# src/oidc/libauthgear-glib-1.abi (libabigail's abidw, public headers
# only): any difference, an addition too, fails until the record is
# written again on purpose:
#   AG_ABI_UPDATE=1 meson test -C _build/tests abi
# Usage: test-abi.sh LIBRARY RECORD PUBLIC-HEADER...
set -u
lib=$1 record=$2; shift 2
if ! command -v abidiff >/dev/null 2>&1; then
  echo "1..0 # SKIP abidiff (abigail-tools) is not installed"
  exit 0
fi
headers=""
for h in "$@"; do headers="$headers --hf2 $h"; done
echo "1..2"
if [ -n "${AG_ABI_UPDATE:-}" ]; then
  dw_headers=$(printf '%s' "$headers" | sed 's/--hf2/--hf/g')
  # shellcheck disable=SC2086
  abidw --no-corpus-path --no-show-locs --drop-private-types $dw_headers "$lib" > "$record"
  echo "# wrote $record"
fi
symbols=$(grep -c '<elf-symbol name=' "$record")
if [ "$symbols" -gt 20 ]; then
  echo "ok 1 - the record holds $symbols symbols"
else
  echo "not ok 1 - the record holds only $symbols symbols"
  exit 1
fi
# shellcheck disable=SC2086
report=$(abidiff --no-show-locs --no-added-syms $headers "$record" "$lib" 2>&1)
status=$?
added=$(abidiff --no-show-locs $headers "$record" "$lib" 2>&1)
added_status=$?
if [ "$status" -eq 0 ] && [ "$added_status" -eq 0 ]; then
  echo "ok 2 - the built library has the recorded ABI"
  exit 0
fi
echo "not ok 2 - the built library's ABI differs from $record (abidiff status $status/$added_status)"
printf '%s\n' "$added" | sed 's/^/# /' | head -80
exit 1
