#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` into a temporary DESTDIR, then what a desktop needs from it:
# the desktop file valid, its Exec binary and Icon present under the prefix,
# the D-Bus service for DBusActivatable, the metainfo valid, the schema
# compiling and holding the app ID, the translations.
# Usage: test-install.sh BUILD_DIR PREFIX APP_ID LIBDIR INTROSPECTION(true|false)
set -u
build=$1 prefix=$2 app_id=$3 libdir=$4 introspection=$5
dest=$(mktemp -d "${TMPDIR:-/tmp}/authgear-login-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
n=0 failed=0
check() {
  n=$((n + 1))
  if eval "$2" >"$dest/out" 2>&1; then echo "ok $n - $1"; else failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$dest/out"; fi
}
echo "1..19"
root="$dest$prefix"
# The installed program must find libauthgear-glib-1.so.0 by itself, as it
# does from a desktop menu: nothing tells the loader where the prefix is.
unset LD_LIBRARY_PATH
check "meson install into a DESTDIR" "meson install -C '$build' --destdir '$dest' --no-rebuild --quiet"
desktop="$root/share/applications/$app_id.desktop"
check "the installed desktop file is valid" "desktop-file-validate '$desktop'"
# Exec is the program's absolute path, which the menu can start whatever
# the PATH of the desktop session holds.
exec_path=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" 2>/dev/null)
program="$dest$exec_path"
check "its Exec ($exec_path) is the program in bindir, and it runs" "test '$exec_path' = '$prefix/bin/authgear-login' && test -x '$program' && '$program' --version | grep -q '^authgear-login '"
runpath_is_relative() {
  readelf -d "$program" | grep -E 'R(UN)?PATH' | tee /dev/stderr | grep -qF "[\$ORIGIN/../$libdir]"
}
check "the program's RUNPATH is \$ORIGIN/../$libdir, not a build or install folder" runpath_is_relative
# Signed out, with no running instance: its own message on stderr, exit 1,
# nothing on stdout (a script's $(...) must see the failure).
print_token_signed_out() {
  local rc=0
  env -u DISPLAY -u WAYLAND_DISPLAY AUTHGEAR_DOMAIN=http://127.0.0.1:9 AUTHGEAR_CLIENT_ID=authgear-login \
    "$program" --print-access-token >"$dest/stdout" 2>"$dest/stderr" || rc=$?
  cat "$dest/stderr"
  [ "$rc" = 1 ] && [ ! -s "$dest/stdout" ] && [ -s "$dest/stderr" ]
}
check "--print-access-token signed out: exit 1, nothing on stdout, its message on stderr" print_token_signed_out
icon=$(sed -n 's/^Icon=//p' "$desktop" 2>/dev/null)
check "its Icon ($icon) is in hicolor, full colour and symbolic" "test -f '$root/share/icons/hicolor/scalable/apps/$icon.svg' && test -f '$root/share/icons/hicolor/symbolic/apps/$icon-symbolic.svg'"
check "the D-Bus service file names the app ID and the binary" "grep -qx 'Name=$app_id' '$root/share/dbus-1/services/$app_id.service' && grep -q '^Exec=$prefix/bin/authgear-login --gapplication-service' '$root/share/dbus-1/services/$app_id.service'"
check "the installed metainfo is valid" "appstreamcli validate --no-net '$root/share/metainfo/$app_id.metainfo.xml'"
check "the metainfo launches the desktop file" "grep -q '<launchable type=\"desktop-id\">$app_id.desktop</launchable>' '$root/share/metainfo/$app_id.metainfo.xml'"
check "the schema compiles strictly" "glib-compile-schemas --strict '$root/share/glib-2.0/schemas'"
check "the compiled schema holds the app ID" "gsettings --schemadir '$root/share/glib-2.0/schemas' list-keys '$app_id' | grep -qx authgear-domain"
check "the web view module is installed and found from the installed program" "test -f '$root/$libdir/authgear-login/authgear-login-web.so' && '$program' --version | grep -q '^WebKitGTK 2\\.'"
check "the translations are installed" "test -f '$root/share/locale/de/LC_MESSAGES/authgear-login.mo' && test -f '$root/share/locale/zh_TW/LC_MESSAGES/authgear-login.mo'"
# authgear-glib: what a developer builds against, and what a program loads.
check "libauthgear-glib-1.so.0 is installed with its development link" "test -f '$root/$libdir/libauthgear-glib-1.so.0' && test -L '$root/$libdir/libauthgear-glib-1.so'"
check "the headers are installed under authgear-glib-1 and compile" "printf '#include <authgear-glib.h>\\nint main (void) { return AUTHGEAR_CHECK_VERSION (0, 0, 1) ? 0 : 1; }\\n' > '$dest/t.c' && cc -o '$dest/t' '$dest/t.c' -I'$root/include/authgear-glib-1' \$(pkg-config --cflags glib-2.0 gio-2.0) && '$dest/t'"
check "authgear-glib-1.pc names the library and the headers" "PKG_CONFIG_PATH='$root/$libdir/pkgconfig' PKG_CONFIG_SYSROOT_DIR='$dest' pkg-config --libs --cflags authgear-glib-1 | grep -q -- '-lauthgear-glib-1'"
if [ "$introspection" = true ]; then
  check "Authgear-1.0.gir is installed" "test -f '$root/share/gir-1.0/Authgear-1.0.gir'"
  check "the Authgear-1.0 typelib is installed" "test -f '$root/$libdir/girepository-1.0/Authgear-1.0.typelib'"
  if command -v vapigen >/dev/null; then
    check "authgear-glib-1.vapi and its .deps (gio-2.0) are installed for Vala" "grep -q 'public async Authgear.UserInfo authenticate ' '$root/share/vala/vapi/authgear-glib-1.vapi' && grep -qx gio-2.0 '$root/share/vala/vapi/authgear-glib-1.deps'"
  else
    n=$((n + 1)); echo "ok $n # SKIP vapigen is not installed"
  fi
else
  # A sanitizer build makes no GIR (src/oidc/meson.build says why).
  n=$((n + 3)); for i in 2 1 0; do echo "ok $((n - i)) # SKIP no introspection in this build"; done
fi
exit $failed
