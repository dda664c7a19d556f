#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` into a temporary DESTDIR, then what a desktop needs from it:
# the desktop file valid, its Exec binary and Icon present under the prefix,
# the D-Bus service for DBusActivatable, the metainfo valid, the schema
# compiling and holding the app ID, the translations.
# Usage: test-install.sh BUILD_DIR PREFIX APP_ID LIBDIR
set -u
build=$1 prefix=$2 app_id=$3 libdir=$4
dest=$(mktemp -d "${TMPDIR:-/tmp}/authgear-login-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
n=0 failed=0
check() {
  n=$((n + 1))
  if eval "$2" >"$dest/out" 2>&1; then echo "ok $n - $1"; else failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$dest/out"; fi
}
echo "1..11"
root="$dest$prefix"
check "meson install into a DESTDIR" "meson install -C '$build' --destdir '$dest' --no-rebuild --quiet"
desktop="$root/share/applications/$app_id.desktop"
check "the installed desktop file is valid" "desktop-file-validate '$desktop'"
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" 2>/dev/null)
check "its Exec ($exec_name) is installed in bindir and runs" "test -x '$root/bin/$exec_name' && '$root/bin/$exec_name' --version | grep -q '^authgear-login '"
icon=$(sed -n 's/^Icon=//p' "$desktop" 2>/dev/null)
check "its Icon ($icon) is in hicolor, full colour and symbolic" "test -f '$root/share/icons/hicolor/scalable/apps/$icon.svg' && test -f '$root/share/icons/hicolor/symbolic/apps/$icon-symbolic.svg'"
check "the D-Bus service file names the app ID and the binary" "grep -qx 'Name=$app_id' '$root/share/dbus-1/services/$app_id.service' && grep -q '^Exec=$prefix/bin/authgear-login --gapplication-service' '$root/share/dbus-1/services/$app_id.service'"
check "the installed metainfo is valid" "appstreamcli validate --no-net '$root/share/metainfo/$app_id.metainfo.xml'"
check "the metainfo launches the desktop file" "grep -q '<launchable type=\"desktop-id\">$app_id.desktop</launchable>' '$root/share/metainfo/$app_id.metainfo.xml'"
check "the schema compiles strictly" "glib-compile-schemas --strict '$root/share/glib-2.0/schemas'"
check "the compiled schema holds the app ID" "gsettings --schemadir '$root/share/glib-2.0/schemas' list-keys '$app_id' | grep -qx authgear-domain"
check "the web view module is installed and found from the installed program" "test -f '$root/$libdir/authgear-login/authgear-login-web.so' && '$root/bin/authgear-login' --version | grep -q '^WebKitGTK 2\\.'"
check "the translations are installed" "test -f '$root/share/locale/de/LC_MESSAGES/authgear-login.mo' && test -f '$root/share/locale/zh_TW/LC_MESSAGES/authgear-login.mo'"
exit $failed
