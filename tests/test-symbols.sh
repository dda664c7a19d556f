#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every symbol libauthgear-glib-1 exports is public API: an authgear_
# function declared in an installed header. Nothing of the core (ag_*), of
# the tests or of the benchmark leaks out.
# Usage: test-symbols.sh LIBRARY HEADER_DIR...
set -u
lib=$1; shift
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sort -u)
headers=$(for d in "$@"; do ls "$d"/authgear-*.h; done)
n=0 failed=0
echo "1..3"
count=$(printf '%s\n' "$exported" | grep -c .)
n=$((n + 1))
if [ "$count" -gt 20 ]; then echo "ok $n - the library exports $count symbols"; else failed=1; echo "not ok $n - only $count symbols exported"; fi
stray=$(printf '%s\n' "$exported" | grep -v '^authgear_')
n=$((n + 1))
if [ -z "$stray" ]; then echo "ok $n - every exported symbol is authgear_*"; else failed=1; echo "not ok $n - exported symbols that are not authgear_*:"; printf '%s\n' "$stray" | sed 's/^/# /'; fi
undeclared=""
for s in $exported; do
  grep -qw "$s" $headers || undeclared="$undeclared $s"
done
n=$((n + 1))
if [ -z "$undeclared" ]; then echo "ok $n - every exported symbol is declared in a public header"; else failed=1; echo "not ok $n - exported but not in a public header:$undeclared"; fi
exit $failed
