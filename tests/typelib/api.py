#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What authgear-glib 1.0 promises, read through its typelib as a Python
program would: the error domain starts at FAILED = 0, bad user-info JSON is
an Authgear error, the runtime version matches, one call's user agent is
an option of that call, and get_user_info() gives the same object until the
tokens change. Run by tests/test-examples.py with the scripted browser as
the default one; prints "api ok" and nothing else when all holds."""
import importlib.util
import os

import gi
gi.require_version('Authgear', '1.0')
from gi.repository import Authgear, GLib  # noqa: E402

# The Python example's own helper that runs an _async/_finish pair.
_path = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'python', 'sign-in.py')
_spec = importlib.util.spec_from_file_location('sign_in_example', _path)
example = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(example)
run = example.run


assert int(Authgear.Error.FAILED) == 0, int(Authgear.Error.FAILED)
assert int(Authgear.Error.STORAGE_UNAVAILABLE) != 0
try:
    Authgear.UserInfo.new_from_json('{"sub":')
    raise AssertionError("bad JSON was read")
except GLib.Error as e:
    assert e.domain == 'authgear-error-quark', e.domain
    assert e.code == int(Authgear.Error.INVALID_RESPONSE), e.code
assert Authgear.get_major_version() == Authgear.MAJOR_VERSION
assert Authgear.check_version(Authgear.MAJOR_VERSION, 0, 0) is None
assert Authgear.check_version(Authgear.MAJOR_VERSION + 1, 0, 0) is not None

client = Authgear.Client(endpoint=os.environ['AUTHGEAR_ENDPOINT'], client_id=os.environ['AUTHGEAR_CLIENT_ID'],
                         token_storage=Authgear.TransientTokenStorage.new())
own = client.get_user_agent()
run(client.configure_async, client.configure_finish)
options = Authgear.AuthenticateOptions.new()
options.set_user_agent(Authgear.BrowserUserAgent.new())
info = run(client.authenticate_async, client.authenticate_finish, options)
assert client.get_user_agent() is own, "the call's user agent replaced the client's"
# The redirect helpers belong to the user agent they serve.
url = client.get_redirect_uri() + '?code=c&state=s1'
assert Authgear.UserAgent.redirect_uri_matches(client.get_redirect_uri(), url)
assert Authgear.UserAgent.redirect_is_answer('https://a.example/authorize?state=s1', client.get_redirect_uri(), url)
assert not Authgear.UserAgent.redirect_is_answer('https://a.example/authorize?state=s2', client.get_redirect_uri(), url)
# The library's reauthentication rule: not right after a sign-in.
assert not client.get_reauthentication_needed()
first, second = client.get_user_info(), client.get_user_info()
assert first is not None and first is second, (first, second)
assert first.get_sub() == info.get_sub()
run(client.logout_async, client.logout_finish)
assert client.get_user_info() is None
print("api ok")
