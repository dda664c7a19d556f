#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/POTFILES.in is complete and true: every source, UI, desktop, metainfo or
# schema file with a translatable string is listed, and every listed file
# exists.  Usage: test-potfiles.sh SOURCE_ROOT
set -u
root=$1
cd "$root" || exit 1
echo "1..2"

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
missing=""
for f in $listed; do
  [ -f "$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then echo "ok 1 - every listed file exists"; else echo "not ok 1 - listed but missing:$missing"; fi

# Files that hold translatable strings: _() / N_() / C_() in C, translatable
# attributes in UI and metainfo files, every desktop and schema file.
found=$( (grep -lE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_)\s*\(' src/*.c src/oidc/*.c 2>/dev/null;
          grep -l 'translatable="yes"' src/*.ui src/gtk/*.ui 2>/dev/null;
          ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml.in) | sort -u)
unlisted=""
for f in $found; do
  echo "$listed" | grep -qx "$f" || unlisted="$unlisted $f"
done
if [ -z "$unlisted" ]; then echo "ok 2 - every file with translatable strings is listed"; else echo "not ok 2 - not in po/POTFILES.in:$unlisted"; fi
[ -z "$missing" ] && [ -z "$unlisted" ]
