#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Authgear Login is a user of authgear-glib like any other program: it links
# libauthgear-glib-1.so.0 and calls its public API. None of the core's
# sign-in, session, token or request code is built into it; what it shares
# with the core (error codes, wiping secrets, the checks of a setting) has
# no type of the core's.  Usage: test-app-api.sh PROGRAM
set -u
app=$1
n=0 failed=0
echo "1..3"
n=$((n + 1))
if readelf -d "$app" | grep -q 'NEEDED.*\[libauthgear-glib-1\.so\.0\]'; then
  echo "ok $n - the program links libauthgear-glib-1.so.0"
else
  failed=1; echo "not ok $n - the program does not link libauthgear-glib-1.so.0"
fi
defined=$(nm --defined-only "$app" | awk '{ print $3 }')
core=$(printf '%s\n' "$defined" | grep -E '^_?(ag_(session|sign_in_new_for|oidc_client|token_store|token_set|auth_request|jwt|jwk|loopback|provider|http|config_new|config_get)|authgear_(client|user_agent|browser_user_agent|token_storage|keyring|transient|user_info)_)' )
n=$((n + 1))
if [ -z "$core" ]; then
  echo "ok $n - no code of the core or of the library is built into the program"
else
  failed=1; echo "not ok $n - built into the program:"; printf '%s\n' "$core" | sed 's/^/# /'
fi
used=$(nm -D --undefined-only "$app" | awk '{ print $2 }' | grep -c '^authgear_client_')
n=$((n + 1))
if [ "$used" -ge 10 ]; then
  echo "ok $n - the program calls $used AuthgearClient functions from the library"
else
  failed=1; echo "not ok $n - the program calls only $used AuthgearClient functions from the library"
fi
exit $failed
