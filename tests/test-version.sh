#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `authgear-login --version` names the program and the libraries it runs with,
# without needing a display.
set -eu
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1" --version)
printf '%s\n' "$out"
for lib in 'authgear-login [0-9]' 'GTK 4\.' 'libadwaita 1\.' 'WebKitGTK 2\.' 'libsoup 3\.'; do
  printf '%s\n' "$out" | grep -q "^$lib" || { echo "missing: $lib" >&2; exit 1; }
done
