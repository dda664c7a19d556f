#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""authgear-glib from Python: sign in through the system browser, greet,
refresh the access token if needed, log out.

  AUTHGEAR_ENDPOINT=https://myapp.authgear.cloud AUTHGEAR_CLIENT_ID=… python3 sign-in.py
"""
import os
import sys

import gi
gi.require_version('Authgear', '1.0')
from gi.repository import Authgear, GLib  # noqa: E402

loop = GLib.MainLoop()
status = 1


def run(start, finish, *args):
    """Calls an _async method and returns what its _finish returns."""
    result = []

    def done(client, res):
        try:
            result.append(finish(res))
        except GLib.Error as e:
            result.append(e)
        loop.quit()
    start(*args, None, done)
    loop.run()
    if isinstance(result[0], GLib.Error):
        raise result[0]
    return result[0]


def main():
    endpoint = os.environ.get('AUTHGEAR_ENDPOINT')
    client_id = os.environ.get('AUTHGEAR_CLIENT_ID')
    if not endpoint or not client_id:
        print('Set AUTHGEAR_ENDPOINT and AUTHGEAR_CLIENT_ID', file=sys.stderr)
        return 2
    client = Authgear.Client(endpoint=endpoint, client_id=client_id)
    try:
        run(client.configure_async, client.configure_finish)
        print('Sign in in your browser...', flush=True)
        info = run(client.authenticate_async, client.authenticate_finish, None)
        print(f'Welcome {info.get_display_name()}!')
        print(info.to_json())
        run(client.refresh_access_token_if_needed_async, client.refresh_access_token_if_needed_finish)
        print('The access token is fresh')
        run(client.logout_async, client.logout_finish)
        print('Logged out')
    except GLib.Error as e:
        print(f'{e.message}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
