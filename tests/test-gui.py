#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real app under Xvfb, driven as a person would: buttons found by their
labels in the accessibility tree, text typed into the provider's page with
xdotool, the code read from the provider's outbox. Screenshots of each step
go to the build directory (gui-screenshots/).

In a Wayland session (build-aux/test-session --wayland: GNOME's compositor,
mutter, headless, and no X server) the central checks run on Wayland: keys
go through mutter's RemoteDesktop API instead of xdotool, the accessibility
tree is the same, and the desktop's notification service and another
program's window are stand-ins (desktop-helper.py)."""
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

APP = os.environ.get("AG_TEST_APP")  # test-desktop.py runs installed copies instead
ISSUER = os.environ.get("AG_TEST_PROVIDER")
# The sanitizer build runs everything slower: waits before typing grow.
SLOW = float(os.environ.get("AG_GUI_SLOW", "1"))
SHOTS = os.path.join(os.environ.get("G_TEST_BUILDDIR", "."), "gui-screenshots")
SCHEMA_ID = "io.github.authgearlogin.AuthgearLogin.Devel"

# Wayland alone: the session has no X server at all.
WAYLAND = bool(os.environ.get("WAYLAND_DISPLAY")) and not os.environ.get("DISPLAY")
if not ISSUER or not (os.environ.get("DISPLAY") or WAYLAND):
    print("1..0 # SKIP needs build-aux/test-session")
    sys.exit(0)
if "--wayland" in sys.argv and not WAYLAND:
    print("1..0 # SKIP needs build-aux/test-session --wayland")
    sys.exit(0)
import pyatspi  # noqa: E402 - only where a session can use it
os.makedirs(SHOTS, exist_ok=True)
results = []


class PortCanary:
    """Listens on 127.0.0.1:3000 and [::1]:3000 for the whole run: the
    embedded view catches the redirect, so nothing may ever connect there."""

    def __init__(self):
        self.sockets, self.hits, self.unbound = [], [], []
        self.start()

    def stop(self):
        # The browser-path scenarios need the port for the app's listener.
        import socket
        for s in self.sockets:
            # shutdown() wakes the thread blocked in accept(); close() alone
            # would leave the port held until accept() returned.
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.sockets = []
        time.sleep(0.2)

    def start(self):
        import socket
        import threading
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, 3000))
                s.listen(8)
                self.sockets.append(s)
                threading.Thread(target=self._accept, args=(s, host), daemon=True).start()
            except OSError as e:
                self.unbound.append(f"{host}: {e}")

    def _accept(self, s, host):
        while True:
            try:
                conn, peer = s.accept()
            except OSError:
                return
            self.hits.append(f"{host} from {peer}")
            conn.close()


canary = PortCanary()


def http_json(path, method="GET", issuer=None):
    req = urllib.request.Request((issuer or ISSUER) + path, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def keyring_items():
    out = subprocess.run(["secret-tool", "search", "--all", "kind", "session"],
                         capture_output=True, text=True).stdout
    return out.count("[/")


def shot(name):
    if WAYLAND:
        return  # what shows is proven by the accessibility tree and the state behind it
    subprocess.run(["import", "-window", "root", os.path.join(SHOTS, name + ".png")], check=False)


class RemoteKeyboard:
    """A keyboard on Wayland: mutter's RemoteDesktop API, whose session adds
    a virtual keyboard to the seat, as GNOME's remote desktop does. Keys go
    to the window that has the focus, as a person's would."""

    KEYSYMS = {"ctrl": 0xffe3, "shift": 0xffe1, "alt": 0xffe9, "Return": 0xff0d, "Escape": 0xff1b,
               "Tab": 0xff09, "F10": 0xffc7, "question": 0x3f, "comma": 0x2c}

    def __init__(self):
        from gi.repository import Gio, GLib
        self.GLib = GLib
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION)
        path = self._call("/org/gnome/Mutter/RemoteDesktop", "org.gnome.Mutter.RemoteDesktop",
                          "CreateSession", None, "(o)")[0]
        self.session = path
        self._call(path, "org.gnome.Mutter.RemoteDesktop.Session", "Start")
        # The seat's new keyboard loses its very first key (seen: "lice@"):
        # a modifier goes first.
        self._key(0xffe1, True)
        self._key(0xffe1, False)
        time.sleep(0.5)

    def _call(self, path, iface, method, args=None, reply=None):
        r = self.bus.call_sync("org.gnome.Mutter.RemoteDesktop", path, iface, method, args,
                               self.GLib.VariantType(reply) if reply else None, 0, 10000, None)
        return r.unpack() if r is not None else None

    def _key(self, keysym, down):
        self._call(self.session, "org.gnome.Mutter.RemoteDesktop.Session", "NotifyKeyboardKeysym",
                   self.GLib.Variant("(ub)", (keysym, down)))

    def keysym(self, name):
        if name in self.KEYSYMS:
            return self.KEYSYMS[name]
        assert len(name) == 1, f"no keysym for {name!r}"
        return ord(name)

    def combo(self, combo):
        syms = [self.keysym(k) for k in combo.split("+")]
        for k in syms:
            self._key(k, True)
        for k in reversed(syms):
            self._key(k, False)
        time.sleep(0.05)

    def type(self, value):
        for ch in value:
            self._key(ord(ch), True)
            self._key(ord(ch), False)
            time.sleep(0.04)


KEYBOARD = []


def keyboard():
    if not KEYBOARD:
        KEYBOARD.append(RemoteKeyboard())
    return KEYBOARD[0]


def key(*combos):
    """Key presses, xdotool's names ("ctrl+shift+l", "Return"), to the
    focused window."""
    if WAYLAND:
        for c in combos:
            keyboard().combo(c)
    else:
        subprocess.run(["xdotool", "key", *combos], check=True)


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    # The newest first: one that just went away can stay listed a moment
    # (a Flatpak's accessibility bus proxy is slower to let it go).
    for app in reversed(list(desktop)):
        try:
            if app is None or not app.name or "authgear-login" not in app.name or app.childCount == 0:
                continue
            # The app this check started, not one that is still going away.
            if CURRENT["pid"] is not None and app.get_process_id() != CURRENT["pid"]:
                continue
            return app
        except Exception:  # noqa: BLE001 - an app that just went away
            continue
    return None


CURRENT = {"pid": None}


def showing(acc):
    try:
        ext = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return ext.width > 0 and ext.height > 0
    except Exception:
        return False


def find(predicate, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        app = find_app()
        if app is not None:
            try:
                hit = pyatspi.findDescendant(app, lambda a: a is not None and predicate(a) and showing(a))
            except Exception:  # noqa: BLE001 - the tree changed under us: look again
                hit = None
            if hit is not None:
                return hit
        time.sleep(0.3)
    return None


def button(label, timeout=20):
    # src/ag-accessible.c gives each control one name ("Login"); GTK 4.8
    # left alone joins two ("_Login Login"), which the check of every name
    # (scenario_accessible_names) refuses. Both are found here, so that a
    # wrong name fails that check, not every other one.
    names = {label, f"{label} {label}"}
    return find(lambda a: a.getRoleName() in ("push button", "toggle button")
                and (a.name or "").replace("_", "") in names, timeout)


def text(predicate_text, timeout=20):
    return find(lambda a: a.getRoleName() == "label" and predicate_text(a.name or ""), timeout)


def press(label):
    b = button(label)
    assert b is not None, f"no button {label!r} on screen"
    b.queryAction().doAction(0)


def token_values(obj):
    """Every access, refresh and ID token in the keyring item's JSON."""
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("access_token", "refresh_token", "id_token") and isinstance(v, str) and v:
                found.append(v)
            else:
                found += token_values(v)
    elif isinstance(obj, list):
        for v in obj:
            found += token_values(v)
    return found


def files_containing(root, secrets, skip):
    hits = []
    for dirpath, _, names in os.walk(root):
        if dirpath.startswith(skip):
            continue
        for n in names:
            path = os.path.join(dirpath, n)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            hits += [path for v in secrets if v.encode() in data]
    return hits


def start_app(env_extra=None, unset=(), log=None, args=(), cwd=None):
    env = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login",
               GTK_A11Y="atspi", NO_AT_BRIDGE="0")
    env.pop("NO_AT_BRIDGE")
    env.update(env_extra or {})
    for name in unset:
        env.pop(name, None)
    out = open(log or os.path.join(SHOTS, "app.log"), "a")
    argv = [APP, *args]
    if os.environ.get("AG_GUI_GDB"):  # for a developer: a backtrace in app.log on a crash
        argv = ["gdb", "-batch", "-ex", "run", "-ex", "bt", "--args", APP]
    proc = subprocess.Popen(argv, env=env, stdout=out if log or os.environ.get("AG_GUI_GDB") else subprocess.DEVNULL,
                            stderr=out, cwd=cwd)
    CURRENT["pid"] = None if os.environ.get("AG_GUI_GDB") else proc.pid
    return proc


def stop_app(proc):
    if sys.exc_info()[0] is not None:
        # Called from a finally while a check fails: the screen as it was.
        shot(f"failure-{int(time.time())}")
    proc.terminate()
    proc.wait(timeout=10)


def check(name, fn):
    only = os.environ.get("AG_GUI_ONLY")  # for a developer: a part of the names
    if only and not any(part in name for part in only.split(",")):
        return
    try:
        fn()
        results.append((name, None))
    except Exception as e:  # noqa: BLE001 - report every failure as TAP
        shot(name.replace(" ", "-") + "-failure")
        results.append((name, e))
        # The failure is reported; the next check starts from no stored
        # session, not from what this one left (one miss used to fail
        # every check after it that starts at Welcome Guest).
        subprocess.run(["secret-tool", "clear", "kind", "session"], check=False)


def focus_window():
    # On Wayland the compositor gives the focus to the newest window, and
    # the checks that run there open no other.
    if WAYLAND:
        return
    # Only the mapped window of that name (GTK may keep unmapped ones), and
    # no key left down from an earlier check whose window went away.
    subprocess.run(["xdotool", "keyup", "Control_L", "Control_R", "Shift_L", "Shift_R"], check=False)
    subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Authgear Login$", "windowfocus", "--sync"],
                   check=False, timeout=10)


def type_into_page(value):
    # Xvfb has no window manager: make sure the keyboard goes to our window
    # (the last one to close may have taken the X focus with it).
    focus_window()
    if WAYLAND:
        keyboard().type(value)
    else:
        subprocess.run(["xdotool", "type", "--clearmodifiers", "--delay", "40", value], check=True)
    key("Return")


def type_on_page_until(value, taken, clear=False):
    """Types @value into the page's focused field and Return, until @taken
    says the page took it: up to four times. A field can get its focus late
    (a cold WebKit, or one under ASan), and the page can start over empty
    when WebKit's web process ended and the app loaded it again. Each try
    after the first (and the first too with @clear) selects what the field
    holds first, so that nothing typed before stays in it (seen: the code
    typed as the page started over, then the email after it). Returns
    whether the page took it; the value is never printed."""
    for attempt in range(4):
        if attempt > 0:
            print(f"# the page did not take what was typed (try {attempt}); selecting the field's text and typing again",
                  flush=True)
        if attempt > 0 or clear:
            key("ctrl+a")
        type_into_page(value)
        if wait_for(taken, SLOW * 8):
            return True
    return False


def webkit_loaded(proc):
    # WebKit comes with the web view module, loaded when a sign-in starts.
    with open(f"/proc/{proc.pid}/maps") as f:
        return "libwebkitgtk-6.0" in f.read()


def page_reloads():
    # How often the app loaded a sign-in page again after WebKit's web
    # process ended (ag-web-page.c says so in the app's log).
    try:
        with open(os.path.join(SHOTS, "app.log"), errors="replace") as f:
            return sum("web process ended" in line for line in f)
    except FileNotFoundError:
        return 0


def sign_in_with_email(email="alice@example.com", issuer=None, again=True):
    # WebKit's web process now and then ends by itself (reason 0: crashed);
    # the app loads the sign-in page again (ag-web-page.c), which starts over
    # at the email page. A person would type the email again: so does this,
    # once, when the provider saw the page asked for anew.
    pages = http_json("/dev/stats", issuer=issuer)["authorization"]
    reloads = page_reloads()
    tokens = http_json("/dev/stats", issuer=issuer)["token"]
    try:
        sign_in_steps(email, issuer, clear=not again)
    except AssertionError:
        if not again or http_json("/dev/stats", issuer=issuer)["authorization"] == pages:
            raise
        print("# the sign-in page was loaded again (its web process ended): typing the email again", flush=True)
        sign_in_with_email(email, issuer, again=False)
        return
    # The web process can also end after the code was taken and before the
    # app saw the redirect: the page starts over at the email and nothing
    # comes back (seen twice, each time beside "web process ended" in the
    # app's log). A person would sign in again: so does this, once.
    if again and not wait_for(lambda: http_json("/dev/stats", issuer=issuer)["token"] > tokens, SLOW * 5) \
            and page_reloads() > reloads:
        print("# the sign-in page was loaded again after the code (its web process ended): signing in again",
              flush=True)
        sign_in_with_email(email, issuer, again=False)


def sign_in_steps(email, issuer, clear=False):
    before = len(http_json("/dev/outbox", issuer=issuer))
    assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")), "the provider's host is not shown"
    time.sleep(SLOW * 1.5)  # the page's own focus
    shot("2-sign-in")
    # type_on_page_until(): a late focus, a page that started over.
    assert type_on_page_until(email, lambda: len(http_json("/dev/outbox", issuer=issuer)) > before, clear=clear), \
        "the email page did not take the address"
    code = http_json("/dev/outbox", issuer=issuer)[-1]["code"]
    # The code page's field takes the focus as it loads: the same care.
    submitted = http_json("/dev/stats", issuer=issuer)["code_submitted"]
    time.sleep(1)
    assert type_on_page_until(code, lambda: http_json("/dev/stats", issuer=issuer)["code_submitted"] > submitted), \
        "the code page did not take the code"


def scenario_login():
    # With every debug log of the app and of WebKit on: none may show a token.
    log = os.path.join(SHOTS, "login-debug.log")
    if os.path.exists(log):
        os.remove(log)
    proc = start_app({"G_MESSAGES_DEBUG": "all", "WEBKIT_DEBUG": "Network,Loading,Process"}, log=log)
    try:
        assert text(lambda t: t == "Welcome Guest") is not None, "no Welcome Guest"
        shot("1-guest")
        assert keyring_items() == 0
        assert not webkit_loaded(proc), "WebKit was loaded before Login"
        press("Login")
        sign_in_with_email()
        assert webkit_loaded(proc), "the sign-in ran without WebKit?"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome Alice Liddell!"
        shot("3-user")
        deadline = time.time() + 5
        while keyring_items() != 1 and time.time() < deadline:
            time.sleep(0.2)
        assert keyring_items() == 1, "the keyring does not hold the session"
        stored = secret_tool("lookup", "kind", "session", "issuer", ISSUER, "client_id", "authgear-login")
        secrets = token_values(json.loads(stored))
    finally:
        stop_app(proc)
    assert len(secrets) >= 3, "the stored session has no tokens"
    with open(log, "rb") as f:
        output = f.read()
    assert b"Authgear-DEBUG" in output, "the debug log was not on"
    leaked = [len(v) for v in secrets if v.encode() in output]
    assert not leaked, f"tokens ({leaked} characters long) in the app's debug output"
    home = os.environ["HOME"]
    keyrings = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.join(home, ".local", "share")), "keyrings")
    roots = {home, os.environ.get("XDG_CONFIG_HOME", home), os.environ.get("XDG_CACHE_HOME", home),
             os.environ.get("XDG_DATA_HOME", home)}
    hits = [h for r in roots for h in files_containing(r, secrets, keyrings)]
    assert not hits, f"tokens written to {hits}"


def scenario_restart():
    http_json("/dev/stats", "POST")
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the stored session was not shown"
        stats = http_json("/dev/stats")
        assert stats["token"] == 0 and stats["userinfo"] == 0, f"network used on restart: {stats}"
        assert not webkit_loaded(proc), "WebKit was loaded for a stored session"
    finally:
        stop_app(proc)


def run_cli(*args, env_extra=None, unset=()):
    env = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login")
    env.update(env_extra or {})
    for name in unset:
        env.pop(name, None)
    return subprocess.run([APP, *args], env=env, capture_output=True, text=True, timeout=60)


def userinfo_with(token):
    endpoint = http_json("/.well-known/openid-configuration")["userinfo_endpoint"]
    req = urllib.request.Request(endpoint, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def scenario_command_line():
    # Not running: the command signs nothing in, reads the keyring, prints.
    http_json("/dev/stats", "POST")
    r = run_cli("--print-access-token")
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()[-300:]}"
    lines = r.stdout.split("\n")
    assert len(lines) == 2 and lines[1] == "" and lines[0], "not one line with the access token"
    assert userinfo_with(lines[0]).get("name") == "Alice Liddell", "the printed token is not Alice's"
    r = run_cli("--print-user-info")
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()[-300:]}"
    info = json.loads(r.stdout)
    assert info.get("name") == "Alice Liddell" and info.get("sub"), f"not Alice's user info: {sorted(info)}"
    assert http_json("/dev/stats")["token"] == 0, "a fresh access token was refreshed"
    # Running: the command goes to the running app, whose configuration
    # answers (this process's own points nowhere), so only it refreshes.
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None
        r = run_cli("--print-access-token", env_extra={"AUTHGEAR_DOMAIN": "http://127.0.0.1:9"})
        assert r.returncode == 0, f"not answered by the running app: exit {r.returncode}: {r.stderr.strip()[-300:]}"
        assert userinfo_with(r.stdout.strip()).get("name") == "Alice Liddell"
        r = run_cli("--print-user-info", env_extra={"AUTHGEAR_DOMAIN": "http://127.0.0.1:9"})
        assert r.returncode == 0 and json.loads(r.stdout).get("name") == "Alice Liddell"
        # From a terminal without a display (ssh, cron): still the running app.
        r = run_cli("--print-access-token", unset=("DISPLAY", "WAYLAND_DISPLAY"))
        assert r.returncode == 0, f"not answered without a display: exit {r.returncode}: {r.stderr.strip()[-300:]}"
        assert userinfo_with(r.stdout.strip()).get("name") == "Alice Liddell"
        assert proc.poll() is None, "the running app went away"
    finally:
        stop_app(proc)


def scenario_command_line_signed_out():
    for option in ("--print-access-token", "--print-user-info"):
        r = run_cli(option)
        assert r.returncode == 1, f"{option}: exit {r.returncode} when signed out"
        assert r.stdout == "", f"{option} printed to stdout when signed out"
        assert "Not signed in" in r.stderr, f"{option}: no message on stderr: {r.stderr.strip()[-200:]}"
    # Without a display and without the app running: said, not a GTK warning.
    r = run_cli("--print-access-token", unset=("DISPLAY", "WAYLAND_DISPLAY"))
    assert r.returncode == 1 and r.stdout == "", f"exit {r.returncode} without a display"
    assert "is not running" in r.stderr and "Gtk" not in r.stderr, f"unclear: {r.stderr.strip()[-300:]}"


def set_name_on_account_page(name, shot_name="account-settings"):
    # Manage Account opens Authgear's settings page in the window; the name
    # field has the focus; Return saves it; Done goes back to Welcome.
    before = http_json("/dev/stats")["settings_page"]
    shot("account-welcome")
    press("Manage Account")
    assert wait_for(lambda: http_json("/dev/stats")["settings_page"] > before, SLOW * 10), \
        "the settings page was not opened"
    time.sleep(SLOW * 1.5)  # the page's own focus
    assert type_on_page_until(name, lambda: http_json("/dev/stats")["settings_page"] > before + 1, clear=True), \
        "the settings page did not take the name"
    time.sleep(SLOW * 0.5)
    shot(shot_name)
    press("Done")


def scenario_manage_account():
    log = os.path.join(SHOTS, "account-debug.log")
    if os.path.exists(log):
        os.remove(log)
    http_json("/dev/stats", "POST")
    proc = start_app({"G_MESSAGES_DEBUG": "all"}, log=log)
    try:
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "not signed in"
        set_name_on_account_page("Alice Pleasance", "account-settings-first")
        assert text(lambda t: t == "Welcome Alice Pleasance!") is not None, "the new name is not shown after Done"
        shot("account-done")
        opened = http_json("/dev/stats")["last_settings_open"]
        assert opened["prompt"] == "none" and opened["x_sso_enabled"] == "false", opened
        assert "https://authgear.com/scopes/full-access" in opened["scope"], opened
        # A second visit needs a second token: each is used once.
        set_name_on_account_page("Alice Liddell")
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the name did not change back"
        assert http_json("/dev/stats")["app_session_token"] == 2
    finally:
        stop_app(proc)
    tokens = http_json("/dev/app_session_tokens")
    assert len(tokens) >= 2
    with open(log, "rb") as f:
        output = f.read()
    assert not [t for t in tokens if t.encode() in output], "an app session token in the app's debug output"
    home = os.environ["HOME"]
    hits = files_containing(home, tokens, skip=os.path.join(home, ".local", "share", "keyrings"))
    assert not hits, f"an app session token in {hits}"


def scenario_reveal_asks_again():
    # Reveal first asks Authgear to confirm it is still this person
    # (AG_REAUTHENTICATE_AFTER_SECONDS=0: any sign-in counts as old): the
    # email and code again, then the tokens show. Cancelled: they stay hidden.
    access = json.loads(stored_session())["response"]["access_token"]

    def tokens_shown():
        return find(lambda a: a.getRoleName() == "label" and access in (a.name or ""), 2) is not None

    http_json("/dev/stats", "POST")
    reloads = page_reloads()
    proc = start_app({"AG_REAUTHENTICATE_AFTER_SECONDS": "0"})
    try:
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "not signed in"
        details = find(lambda a: (a.name or "").replace("_", "") == "Details")
        assert details is not None, "no Details"
        details.queryAction().doAction(0)
        press("Reveal")
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None, \
            "Reveal did not ask Authgear"
        # The host shows as the load begins; a person cancels a page they
        # saw, so wait until Authgear has served it (a slow machine's Cancel
        # could otherwise stop the request before it went out).
        assert wait_for(lambda: http_json("/dev/stats")["reauthentication"] == 1, 20), \
            "Authgear was not asked to confirm (max_age=0)"
        assert not tokens_shown(), "the tokens showed before Authgear confirmed"
        press("Cancel")
        # The page's host label empties when the page goes (the Welcome
        # label, on a hidden stack page, stays in the tree either way).
        assert wait_for(lambda: find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1"), 1)
                        is None, 10), "Cancel did not close Authgear's page"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "Cancel did not go back to Welcome"
        assert not tokens_shown(), "the tokens showed after a cancelled confirmation"
        press("Reveal")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the confirmation"
        assert wait_for(tokens_shown, 10), "the tokens are not shown after the confirmation"
        stats = http_json("/dev/stats")
        # A page loaded again after its web process ended asks once more.
        assert stats["reauthentication"] == 2 + page_reloads() - reloads and stats["id_token_grant"] == 2, stats
        press("Reveal")
        assert wait_for(lambda: not tokens_shown(), 5), "Reveal did not hide the tokens again"
    finally:
        stop_app(proc)


def scenario_logout():
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None
        before = http_json("/dev/stats")["revocation"]
        press("Logout")
        assert text(lambda t: t == "Welcome Guest") is not None, "no Welcome Guest after Logout"
        shot("4-logged-out")
        deadline = time.time() + 5
        while (keyring_items() != 0 or http_json("/dev/stats")["revocation"] == before) and time.time() < deadline:
            time.sleep(0.2)
        assert keyring_items() == 0, "the keyring still holds the session"
        assert http_json("/dev/stats")["revocation"] == before + 1, "the refresh token was not revoked"
    finally:
        stop_app(proc)


def logout_and_quit(proc):
    # Ctrl+Shift+L then Ctrl+Q at once, as a person with the keyboard would:
    # the app takes them in order, and must clear the keyring before it goes.
    revoked = http_json("/dev/stats")["revocation"]
    focus_window()
    key("ctrl+shift+l", "ctrl+q")
    # The window went away under the keys: make sure no modifier stays down
    # for the typing that later checks do.
    if not WAYLAND:
        subprocess.run(["xdotool", "keyup", "ctrl", "shift", "q"], check=False)
    assert proc.wait(timeout=15) == 0, "the app did not quit"
    assert http_json("/dev/stats")["revocation"] == revoked + 1, "the Logout did not reach the app"
    assert keyring_items() == 0, "quitting right after Logout left the session in the keyring"


def scenario_logout_at_once():
    # Welcome shows before the keyring write ends: a Logout and Ctrl+Q the
    # moment it shows must still leave nothing behind.
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome"
        logout_and_quit(proc)
    finally:
        if proc.poll() is None:
            stop_app(proc)


def revoke_stored_refresh_token():
    # Revoked elsewhere (the portal, another device) while the app runs.
    stored = json.loads(stored_session())
    refresh = stored["response"]["refresh_token"]
    body = urllib.parse.urlencode({"token": refresh, "client_id": "authgear-login"}).encode()
    urllib.request.urlopen(urllib.request.Request(ISSUER + "/oauth2/revoke", data=body, method="POST"), timeout=10)


def scenario_account_failures():
    # Manage Account when Authgear cannot be reached: said, and the session
    # kept; when Authgear no longer knows the session (InvalidGrant): the
    # session ends here too, and the guest page says why.
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome"
        assert wait_for(lambda: stored_session() != ""), "the session was not stored"
        http_json("/dev/break?path=/oauth2/app_session_token", "POST")
        press("Manage Account")
        assert text(lambda t: t.startswith("Your account page could not be opened")) is not None, \
            "no word of the unreachable provider"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the session was not kept"
        assert stored_session() != "", "the keyring lost the session"
        revoke_stored_refresh_token()
        press("Manage Account")
        assert text(lambda t: t == "Welcome Guest") is not None, "the ended session still shows Welcome"
        assert text(lambda t: "no longer knows this session" in t) is not None, "the guest page does not say why"
        assert wait_for(lambda: stored_session() == ""), "the ended session stayed in the keyring"
    finally:
        stop_app(proc)


def scenario_no_full_access():
    # A client Authgear does not give full access: the sign-in works (once
    # more, without that scope), and Manage Account says why it is off.
    proc = start_app({"AUTHGEAR_CLIENT_ID": "authgear-login-no-account"})
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome without full access"
        assert text(lambda t: t.startswith("Account management is not available")) is not None, \
            "the Welcome page does not say why account management is off"
        shot("no-full-access")
        press("Logout")
        assert text(lambda t: t == "Welcome Guest") is not None
        assert wait_for(lambda: keyring_items() == 0), "Logout left the session in the keyring"
    finally:
        stop_app(proc)


def menu(label, mnemonic):
    # The main menu's item, as a person picks it from the keyboard: F10
    # opens the menu, the item's underlined letter picks it.
    focus_window()
    subprocess.run(["xdotool", "key", "F10"], check=True)
    item = find(lambda a: a.getRoleName() == "menu item" and (a.name or "").replace("_", "") == label, 10)
    assert item is not None, f"no menu item {label!r}"
    subprocess.run(["xdotool", "key", mnemonic], check=True)


def outbox_code(to, before):
    assert wait_for(lambda: any(m["to"] == to for m in http_json("/dev/outbox")[before:]), SLOW * 10), \
        f"no code sent to {to}"
    return [m for m in http_json("/dev/outbox")[before:] if m["to"] == to][-1]["code"]


def scenario_change_email_and_delete_account():
    # Authgear's settings actions in the window, for an account of its own:
    # Change Email (new address, its code) shows the new address; Delete
    # Account ends the session, empties the keyring, and the old refresh
    # token is refused.
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        sign_in_with_email("carol@example.com")
        assert text(lambda t: t.startswith("carol@example.com")) is not None, "not signed in as carol"
        assert wait_for(lambda: stored_session() != ""), "the session was not stored"

        # Cancelled: nothing changes, and the window says so.
        started = http_json("/dev/stats")["settings_action"]
        menu("Change Email…", "e")
        assert wait_for(lambda: http_json("/dev/stats")["settings_action"] > started, SLOW * 10), \
            "the Change Email page was not opened"
        time.sleep(SLOW)
        focus_window()
        subprocess.run(["xdotool", "key", "Escape"], check=True)  # the window's Cancel
        assert text(lambda t: t == "Nothing was changed") is not None, "a cancelled Change Email was not said"
        assert text(lambda t: t.startswith("carol@example.com")) is not None, "the address changed on Cancel"

        before = len(http_json("/dev/outbox"))
        started = http_json("/dev/stats")["settings_action"]
        menu("Change Email…", "e")
        assert wait_for(lambda: http_json("/dev/stats")["settings_action"] > started, SLOW * 10), \
            "the Change Email page was not opened"
        time.sleep(SLOW * 2)  # the page's own focus
        assert type_on_page_until("carol.new@example.com",
                                  lambda: any(m["to"] == "carol.new@example.com"
                                              for m in http_json("/dev/outbox")[before:])), \
            "the Change Email page did not take the new address"
        code = outbox_code("carol.new@example.com", before)
        time.sleep(SLOW)
        # Typed again only while the page has not posted it: after a code
        # the page took, Return would reach the Welcome page and press what
        # has the focus there.
        submitted = http_json("/dev/stats")["code_submitted"]
        assert type_on_page_until(code, lambda: http_json("/dev/stats")["code_submitted"] > submitted), \
            "the Change Email page did not take the code"
        # The toast first: it goes after a few seconds.
        assert text(lambda t: t == "Your email address was changed") is not None, "the change was not said"
        assert text(lambda t: t.startswith("carol.new@example.com")) is not None, "Welcome does not show the new address"

        refresh = json.loads(stored_session())["response"]["refresh_token"]
        started = http_json("/dev/stats")["settings_action"]
        menu("Delete Account…", "d")
        assert wait_for(lambda: http_json("/dev/stats")["settings_action"] > started, SLOW * 10), \
            "the Delete Account page was not opened"
        time.sleep(SLOW * 2)
        shot("delete-account")
        focus_window()
        subprocess.run(["xdotool", "key", "Return"], check=True)
        # Said until dismissed (a deleted account cannot come back).
        assert text(lambda t: t.startswith("Your account was deleted")) is not None, "the deletion was not said"
        assert text(lambda t: t == "Welcome Guest") is not None, "still signed in after Delete Account"
        assert wait_for(lambda: stored_session() == ""), "the keyring kept the deleted account's session"
    finally:
        stop_app(proc)
    body = urllib.parse.urlencode({"grant_type": "refresh_token", "refresh_token": refresh,
                                   "client_id": "authgear-login"}).encode()
    try:
        urllib.request.urlopen(urllib.request.Request(ISSUER + "/oauth2/token", data=body, method="POST"), timeout=10)
        refused = False
    except urllib.error.HTTPError as e:
        refused = e.code == 400
    assert refused, "the deleted account's refresh token still works"


def scenario_cancel_and_provider_down():
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None
        press("Cancel")
        assert text(lambda t: t == "Welcome Guest") is not None, "Cancel did not return to Welcome Guest"
        assert keyring_items() == 0
    finally:
        stop_app(proc)
    # A provider nobody answers at: an error in the window, still Guest.
    proc = start_app({"AUTHGEAR_DOMAIN": "http://127.0.0.1:9"})
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        assert text(lambda t: "could not be reached" in t) is not None, "no error shown"
        assert text(lambda t: t == "Welcome Guest") is not None
        shot("5-error")
    finally:
        stop_app(proc)


def scenario_signup():
    proc = start_app()
    try:
        before = http_json("/dev/stats")["signup_page"]
        press("Sign up")
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None
        # The web page is not in the accessibility tree: the provider counts
        # the "Create account" pages it served.
        assert wait_for(lambda: http_json("/dev/stats")["signup_page"] == before + 1, 20), \
            "the Create account page was not shown"
        time.sleep(1)
        shot("6-sign-up")
        press("Cancel")
    finally:
        stop_app(proc)


def scenario_slow_exchange():
    # A token endpoint 15 s late (a slow hotel network): after Authgear's
    # page the window says what it waits for and can be left with Escape;
    # then nothing is stored, and the next Login and Manage Account work.
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        before = http_json("/dev/stats")["token"]
        delay = 15 * SLOW
        http_json(f"/dev/delay?path=/oauth2/token&ms={int(delay * 1000)}", "POST")
        press("Login")
        sign_in_with_email()
        answered = time.time() + delay
        # The words are set when the wait page shows and cleared when it
        # goes (GTK 4.8 keeps a hidden page's labels in the tree).
        waiting = text(lambda t: t == "Signing in to 127.0.0.1…", 10 * SLOW)
        assert waiting is not None, "the wait does not say what it waits for"
        assert http_json("/dev/stats")["token"] == before + 1, "the code's exchange is not what is waited for"
        shot("7-signing-in-wait")
        assert button("Cancel", 10 * SLOW) is not None, "the wait has no Cancel"
        focus_window()
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        assert wait_for(lambda: text(lambda t: t.startswith("Signing in to"), 1) is None, 5), \
            "Escape did not leave the wait"
        assert text(lambda t: t == "Welcome Guest") is not None, "not back on the guest page"
        time.sleep(max(0, answered - time.time()) + 1)  # the late answer comes and must change nothing
        assert keyring_items() == 0, "a cancelled sign-in was stored"
        assert text(lambda t: t == "Welcome Alice Liddell!", 2) is None, "the cancelled sign-in went on"
        # The next Login ends on Welcome, and Manage Account opens.
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the next Login did not end on Welcome"
        tokens = http_json("/dev/stats")["app_session_token"]
        press("Manage Account")
        assert wait_for(lambda: http_json("/dev/stats")["app_session_token"] == tokens + 1, 20), \
            "Manage Account did not open the account page"
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None
        press("Done")
        assert wait_for(lambda: find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1"), 1)
                        is None, 10), "Done did not close the account page"
        press("Logout")
        assert wait_for(lambda: keyring_items() == 0), "Logout left the session in the keyring"
    finally:
        stop_app(proc)


def scenario_slow_reauthentication():
    # Reveal's confirmation begins with an ID-token grant; 15 s late, the
    # window says what it waits for instead of sitting on Welcome, and its
    # Cancel leaves: the tokens stay hidden, the session stays, and the late
    # answer changes nothing.
    proc = start_app({"AG_REAUTHENTICATE_AFTER_SECONDS": "0"})
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "not signed in"
        access = json.loads(stored_session())["response"]["access_token"]
        details = find(lambda a: (a.name or "").replace("_", "") == "Details")
        assert details is not None, "no Details"
        details.queryAction().doAction(0)
        requests = http_json("/dev/stats")["token"]
        delay = 15 * SLOW
        http_json(f"/dev/delay?path=/oauth2/token&ms={int(delay * 1000)}", "POST")
        press("Reveal")
        answered = time.time() + delay
        waiting = text(lambda t: t == "Asking 127.0.0.1 to confirm it is you…", 10 * SLOW)
        assert waiting is not None, "the confirmation's wait does not say what it waits for"
        # The token endpoint's count is taken as the request comes; the
        # grant's own, when it is answered.
        assert wait_for(lambda: http_json("/dev/stats")["token"] == requests + 1, 5), \
            "the ID-token grant is not what is waited for"
        shot("7-confirm-wait")
        press("Cancel")
        assert wait_for(lambda: text(lambda t: t.startswith("Asking 127.0.0.1"), 1) is None, 5), \
            "Cancel did not leave the confirmation's wait"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "not back on Welcome"
        time.sleep(max(0, answered - time.time()) + 1)
        assert find(lambda a: a.getRoleName() == "label" and access in (a.name or ""), 2) is None, \
            "the tokens showed after a cancelled confirmation"
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1"), 1) is None, \
            "the late answer opened Authgear's page"
        assert keyring_items() == 1, "the session did not stay"
        # Reading the profile again (Ctrl+R), 15 s late: said on Welcome,
        # left with Escape; the late answer says nothing.
        requests = http_json("/dev/stats")["userinfo"]
        http_json(f"/dev/delay?path=/oauth2/userinfo&ms={int(delay * 1000)}", "POST")
        focus_window()
        subprocess.run(["xdotool", "key", "ctrl+r"], check=True)
        answered = time.time() + delay
        reading = text(lambda t: t == "Reading your profile from 127.0.0.1…", 10 * SLOW)
        assert reading is not None, "reading the profile does not say so"
        # Beside the words (a search of the whole tree can outlast the wait
        # when earlier scenarios' apps left theirs behind).
        assert any(c is not None and c.getRoleName() == "push button" and (c.name or "").replace("_", "") == "Stop"
                   for c in reading.parent), "reading the profile cannot be stopped"
        shot("7-profile-wait")
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        assert wait_for(lambda: text(lambda t: t.startswith("Reading your profile"), 1) is None, 5), \
            "Escape did not stop reading the profile"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "not on Welcome after the stop"
        time.sleep(max(0, answered - time.time()) + 1)
        assert http_json("/dev/stats")["userinfo"] >= requests + 1, "the profile was not asked for"
        assert text(lambda t: t == "Profile reloaded", 1) is None, "a stopped reading still said Profile reloaded"
        press("Logout")
        assert wait_for(lambda: keyring_items() == 0), "Logout left the session in the keyring"
    finally:
        stop_app(proc)


def keyring_pid():
    # The test session's own gnome-keyring-daemon: the owner of the Secret
    # Service on this bus, whoever else runs one on the machine.
    out = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                          "--object-path", "/org/freedesktop/DBus", "--method",
                          "org.freedesktop.DBus.GetConnectionUnixProcessID", "org.freedesktop.secrets"],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[1].rstrip(",)"))


def scenario_keyring_wait():
    # The keyring does not answer (its daemon stopped, as a hung one would
    # be): the start says what it waits for, then offers to go on without
    # it; the person signs in for this run, nothing is stored, and with the
    # keyring back the next start reads it at once.
    pid = keyring_pid()
    # xdg-desktop-portal, started on demand by GTK's first call, connects to
    # the keyring's Secret portal backend as it starts; with the keyring
    # stopped it would hang, and GTK's start with it (25 s, before any
    # code of the app runs). On a desktop it runs already; here too, as an
    # earlier check started it, unless this check runs alone.
    subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.portal.Desktop",
                    "--object-path", "/org/freedesktop/portal/desktop",
                    "--method", "org.freedesktop.DBus.Peer.Ping"], capture_output=True, timeout=30)
    os.kill(pid, signal.SIGSTOP)
    proc = None
    try:
        proc = start_app()
        waiting = text(lambda t: t.startswith("Still opening your session: the keyring has not answered"), 20 * SLOW)
        assert waiting is not None, "the start's keyring wait does not say what it waits for"
        shot("8-keyring-wait")
        press("Continue Without Keyring")
        assert wait_for(lambda: text(lambda t: t.startswith("Still opening your session"), 1) is None, 10), \
            "Continue Without Keyring did not leave the wait"
        assert text(lambda t: t == "Welcome Guest") is not None, "not on the guest page without the keyring"
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no sign-in without the keyring"
        assert text(lambda t: "the keyring did not answer" in t) is not None, "Welcome does not say the session is not kept"
    finally:
        os.kill(pid, signal.SIGCONT)
        if proc is not None:
            stop_app(proc)
    assert keyring_items() == 0, "a session was stored while the keyring was left"
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None, "the next start is not back on the keyring"
        assert text(lambda t: t.startswith("Still opening your session"), 1) is None
    finally:
        stop_app(proc)


def frame(title, timeout=20):
    return find(lambda a: a.getRoleName() in ("frame", "dialog") and a.name == title, timeout)


def within(root, predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        hit = pyatspi.findDescendant(root, lambda a: a is not None and predicate(a) and showing(a))
        if hit is not None:
            return hit
        time.sleep(0.3)
    return None


def type_into_row(root, title, value):
    # GTK 4.8 does not let AT-SPI move the focus; it does let it edit text,
    # which reaches the row as the same "changed" signal as typing.
    row = within(root, lambda a: a.getRoleName() == "text" and a.name == title)
    assert row is not None, f"no {title!r} field"
    row.queryEditableText().setTextContents(value)
    time.sleep(0.3)
    return row


def secret_tool(*args):
    return subprocess.run(["secret-tool", *args], capture_output=True, text=True).stdout


def wait_for(condition, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def scenario_preferences():
    # Nothing configured: the window says what to set and opens Preferences.
    proc = start_app(unset=("AUTHGEAR_DOMAIN", "AUTHGEAR_CLIENT_ID"))
    try:
        prefs = frame("Preferences")
        assert prefs is not None, "Preferences did not open on a first start"
        assert text(lambda t: t.startswith("AUTHGEAR_DOMAIN is not set")) is not None
        # Checked as typed: plain http for another host is refused.
        type_into_row(prefs, "Authgear domain", "http://authgear.example")
        assert within(prefs, lambda a: a.getRoleName() == "label" and "must use https://" in (a.name or "")), \
            "no error for a plain http domain"
        shot("7-preferences-error")
        type_into_row(prefs, "Authgear domain", ISSUER)
        assert within(prefs, lambda a: a.getRoleName() == "label" and (a.name or "").startswith("AUTHGEAR_CLIENT_ID is not set")), \
            "the domain was not accepted"
        # The confidential client: its secret goes to the keyring, never GSettings.
        type_into_row(prefs, "Client ID", "authgear-login-confidential")
        assert within(prefs, lambda a: a.getRoleName() == "label" and "No client secret is stored" in (a.name or "")), \
            "the secret status does not follow the client ID"
        type_into_row(prefs, "Client secret (optional)", "dev-client-secret-change-me")
        shot("7-preferences")
        # Closing saves what was typed: the secret to the keyring.
        close = within(prefs, lambda a: a.getRoleName() == "push button" and a.name == "Close")
        close.queryAction().doAction(0)
        assert wait_for(lambda: secret_tool("search", "--all", "kind", "client-secret").count("[/") == 1), \
            "the client secret is not in the keyring"
        # The window starts over with the new settings and the stored secret,
        # and no longer asks for settings it has (it kept its first words).
        assert text(lambda t: t.startswith("Set AUTHGEAR_DOMAIN"), 4) is None, \
            "the guest page still asks for AUTHGEAR_DOMAIN after Preferences set it"
        # (Xvfb has no window manager to give the keyboard back to the main
        # window when Preferences goes away: the test does what one would.)
        time.sleep(0.5)
        focus_window()
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the confidential client did not sign in"
        press("Logout")
        assert text(lambda t: t == "Welcome Guest") is not None
        assert wait_for(lambda: keyring_items() == 0), "Logout left the session in the keyring"
        # Started again for the same client (named in the environment here:
        # this session's settings do not outlive the process): the secret is
        # now read at the start, beside GTK's own (a search first, then the
        # lookup), and the provider, which refuses this client's code
        # exchange without it, signs it in.
        stop_app(proc)
        proc = start_app({"AUTHGEAR_CLIENT_ID": "authgear-login-confidential"})
        assert text(lambda t: t == "Welcome Guest") is not None, "the restarted app did not show the guest page"
        press("Login")
        sign_in_with_email()
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, \
            "after a restart the confidential client did not sign in (its secret was not read)"
        press("Logout")
        assert wait_for(lambda: keyring_items() == 0), "Logout left the session in the keyring"
    finally:
        stop_app(proc)
        secret_tool("clear", "kind", "client-secret")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_node(argv, first, **popen):
    """Starts a Node.js server of the tests and returns it with the first
    line it printed, which must start with @first. Node.js 20 here now and
    then stops inside its start-up (build-aux/test-session says more): a
    start that has said nothing within 10 s is killed and made again, up to
    four times, instead of waiting forever."""
    import select
    for attempt in range(4):
        server = subprocess.Popen(["node", *argv], stdout=subprocess.PIPE, text=True, **popen)
        ready, _, _ = select.select([server.stdout], [], [], 10 * SLOW)
        line = server.stdout.readline() if ready else ""
        if line.startswith(first):
            return server, line
        server.kill()
        server.wait(timeout=10)
        print(f"# node {os.path.basename(argv[0])} did not start in time (attempt {attempt + 1}): {line!r}",
              file=sys.stderr, flush=True)
    raise AssertionError(f"node {argv[0]} did not start")


def scenario_token_refresh():
    # A provider whose access tokens live 10 s: the app refreshes by itself.
    port = free_port()
    provider, _ = start_node([os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "provider", "server.mjs"),
                              "--port", str(port), "--access-token-ttl", "10", "--stats", "--quiet"], "issuer:")
    issuer = f"http://127.0.0.1:{port}"
    proc = None
    try:
        proc = start_app({"AUTHGEAR_DOMAIN": issuer})
        press("Login")
        sign_in_with_email(issuer=issuer)
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None
        lookup = ("lookup", "kind", "session", "issuer", issuer, "client_id", "authgear-login")
        assert wait_for(lambda: secret_tool(*lookup) != ""), "not stored"
        first = hashlib.sha256(secret_tool(*lookup).encode()).hexdigest()
        assert wait_for(lambda: http_json("/dev/stats", issuer=issuer)["refresh"] >= 1, 30), "no refresh in 30 s"
        assert wait_for(lambda: hashlib.sha256(secret_tool(*lookup).encode()).hexdigest() != first), "the keyring item did not change"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "Welcome is gone after the refresh"
        assert wait_for(lambda: http_json("/dev/stats", issuer=issuer)["refresh"] >= 2, 30), "no second refresh"
        shot("8-refreshed")
    finally:
        if proc is not None:
            stop_app(proc)
        provider.terminate()
        provider.wait(timeout=10)
        secret_tool("clear", "kind", "session", "issuer", issuer)


def scenario_shortcuts_and_single_instance():
    proc = start_app()
    try:
        assert text(lambda t: t == "Welcome Guest") is not None
        subprocess.run(["xdotool", "key", "ctrl+question"], check=True)
        assert frame("Keyboard Shortcuts", 10) is not None, "Ctrl+? did not open the shortcuts window"
        shot("9-shortcuts")
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        # A second launch hands over to the first and leaves.
        first_pid = CURRENT["pid"]
        second = start_app()
        CURRENT["pid"] = first_pid
        assert second.wait(timeout=15) == 0, "the second launch did not exit"
        frames = [a for a in find_app() if a is not None and a.getRoleName() == "frame" and a.name == "Authgear Login"]
        assert len(frames) == 1, f"{len(frames)} main windows"
    finally:
        stop_app(proc)


def scenario_german():
    # A German desktop: the window speaks German, and so does Authgear's page.
    proc = start_app({"LANGUAGE": "de", "LANG": "C.UTF-8"})
    try:
        assert text(lambda t: t == "Willkommen, Gast") is not None, "no German Welcome Guest"
        assert button("Anmelden") is not None, "no German Login button"
        shot("10-german")
        press("Anmelden")
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None
        assert wait_for(lambda: (http_json("/dev/stats")["last_authorization"] or {}).get("ui_locales") == "de"), \
            f"ui_locales is not de: {http_json('/dev/stats')['last_authorization']}"
        press("Abbrechen")
        assert text(lambda t: t == "Willkommen, Gast") is not None
    finally:
        stop_app(proc)



def start_hostile():
    """tests/hostile/server.mjs: returns the process and its base URL."""
    hostile, line = start_node([os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "hostile", "server.mjs")],
                               "port: ", stdin=subprocess.PIPE)
    return hostile, f"http://127.0.0.1:{line.split()[1]}"


def stop_hostile(hostile):
    hostile.terminate()
    hostile.wait(timeout=10)


@contextlib.contextmanager
def hostile_sign_in(case, **app_args):
    """The app against one case of tests/hostile/, Login pressed: yields the
    case's issuer; the app and the hostile provider stop afterwards."""
    hostile, base = start_hostile()
    proc = None
    try:
        issuer = base + "/" + case
        proc = start_app({"AUTHGEAR_DOMAIN": issuer}, **app_args)
        assert text(lambda t: t == "Welcome Guest") is not None
        press("Login")
        yield issuer, proc
    finally:
        if proc is not None:
            stop_app(proc)
        stop_hostile(hostile)


def beacon_seen(issuer, step, timeout=20):
    return wait_for(lambda: any(b["step"] == step for b in http_json("/stats", issuer=issuer)["beacons"]), timeout)


def nothing_stored(issuer):
    return secret_tool("search", "--all", "kind", "session", "issuer", issuer).count("[/") == 0


def cancel_to_guest():
    press("Cancel")
    assert text(lambda t: t == "Welcome Guest") is not None


def scenario_tls_page():
    # The sign-in page on a self-signed certificate: not opened, said so.
    hostile, base = start_hostile()
    proc = None
    try:
        assert hostile.stdout.readline().startswith("tls-port: "), "no TLS listener (openssl missing?)"
        issuer = base + "/webview-tls"
        proc = start_app({"AUTHGEAR_DOMAIN": issuer})
        press("Login")
        assert text(lambda t: "certificate is not valid" in t, 30) is not None, "no certificate error in the window"
        assert text(lambda t: t == "Welcome Guest") is not None
        shot("12-tls-error")
        assert http_json("/stats", issuer=issuer)["counts"].get("authorize", 0) == 0, "the page was served anyway"
    finally:
        if proc is not None:
            stop_app(proc)
        stop_hostile(hostile)


def scenario_token_endpoint_hangs():
    # The token endpoint never answers: the window keeps working, then says so.
    hostile, base = start_hostile()
    proc = None
    try:
        issuer = base + "/token-hangs"
        proc = start_app({"AUTHGEAR_DOMAIN": issuer, "AG_HTTP_TIMEOUT": "6"})
        press("Login")
        assert wait_for(lambda: http_json("/stats", issuer=issuer)["counts"].get("token", 0) == 1), "no token request"
        # While it waits, the window answers: the shortcuts window opens.
        subprocess.run(["xdotool", "key", "ctrl+question"], check=True)
        assert frame("Keyboard Shortcuts", 3) is not None, "the window did not respond while waiting"
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        assert text(lambda t: "did not answer in time" in t, 20) is not None, "no timeout message"
        assert text(lambda t: t == "Welcome Guest") is not None
        assert secret_tool("search", "--all", "kind", "session", "issuer", issuer).count("[/") == 0
    finally:
        if proc is not None:
            stop_app(proc)
        stop_hostile(hostile)


def scenario_hostile_page():
    # A sign-in page that tries to leave the view every way it can.
    with hostile_sign_in("webview-hostile") as (issuer, _proc):
        assert text(lambda t: "does not belong to this sign-in" in t, 30) is not None, \
            "the forged callback was not refused in the window"
        shot("11-hostile-page")
        cancel_to_guest()
        stats = http_json("/stats", issuer=issuer)
        steps = sorted(b["step"] for b in stats["beacons"])
        assert steps == [0, 1, 2, 3, 4, 5], f"the page did not report every step: {stats['beacons']}"
        moved = [b for b in stats["beacons"] if not b["href"].startswith(issuer + "/authorize")]
        assert not moved, f"the page was navigated away: {moved}"
        assert stats["counts"].get("target", 0) == 0, "a pop-up or _blank target was loaded in the view"
        frames = [a for a in find_app() if a is not None and a.getRoleName() == "frame"]
        assert len(frames) == 1, f"{len(frames)} windows: a pop-up opened one"
        assert nothing_stored(issuer)

def scenario_subframe_redirects():
    # Frames of the sign-in page go to the redirect URI with forged states:
    # none of them ends the sign-in (the window says each was ignored), the
    # page stays and reports so; then its main frame's forged callback is
    # ignored the same way.
    with hostile_sign_in("webview-subframe") as (issuer, _proc):
        assert text(lambda t: "does not belong to this sign-in" in t, 30) is not None, \
            "the forged callbacks were not said to be ignored"
        assert beacon_seen(issuer, 100, 15), \
            "a frame's navigation to the redirect URI ended the sign-in (the page was stopped)"
        # The main frame's forged callback comes last: ignored too, the
        # sign-in still waits for the real answer; Cancel ends it.
        time.sleep(1.5 * SLOW)
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1"), 5) is not None, \
            "the sign-in page is gone"
        cancel_to_guest()
        assert nothing_stored(issuer)

def app_windows(proc):
    """The app's visible X windows (a dialog shows here even when the
    accessibility tree does not list it)."""
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                         capture_output=True, text=True).stdout
    return [w for w in out.split() if w.strip()]


def window_geometry():
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Authgear Login$", "getwindowgeometry", "--shell"],
                         capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def files_under(root):
    found = []
    for base, _dirs, names in os.walk(root):
        found += [os.path.join(base, n) for n in names]
    return found


def scenario_files_and_context_menu():
    # Nothing of the page reaches the disk, no file leaves it, and the
    # context menu has nothing but editing and navigation.
    before = set(files_under(os.environ["HOME"]))
    with hostile_sign_in("webview-files") as (issuer, proc):
        assert beacon_seen(issuer, 1), "the page did not get to its last step (a download took it away)"
        assert http_json("/stats", issuer=issuer)["counts"].get("attachment", 0) >= 1, "the page made no download"
        x, y, w, h = window_geometry()
        # A real click on the file input's label, which fills the page
        # below the link (the page starts under the header and host bar).
        subprocess.run(["xdotool", "mousemove", str(x + w // 2), str(y + 80 + 270), "click", "1"], check=True)
        time.sleep(2 * SLOW)
        shot("16-file-input")
        assert len(app_windows(proc)) == 1, "a file chooser opened"
        # A right click on the link.
        subprocess.run(["xdotool", "mousemove", str(x + w // 2), str(y + 80 + 45), "click", "3"], check=True)
        time.sleep(1.5 * SLOW)
        shot("17-context-menu")
        items = find(lambda a: a.getRoleName() == "menu item" and any(
            word in (a.name or "") for word in ("Download", "New Window", "Inspect")), 2)
        assert items is None, f"the context menu offers {items.name!r}"
        # Nothing was written: no evil.txt, no other new file outside the
        # app's own settings and keyring.
        new = [f for f in set(files_under(os.environ["HOME"])) - before
               if "evil" in f or os.sep + "Downloads" + os.sep in f]
        assert not new, f"the page put files on the disk: {new}"
        cancel_to_guest()

def scenario_dotenv():
    # A .env file sets the domain: the guest view names the file and the
    # domain. One that is a FIFO is refused at once, with the reason.
    folder = os.path.join(os.environ["TMPDIR"], "project")
    os.makedirs(folder, exist_ok=True)
    dotenv = os.path.join(folder, ".env")
    with open(dotenv, "w") as f:
        f.write(f"AUTHGEAR_DOMAIN={ISSUER}\nAUTHGEAR_CLIENT_ID=authgear-login\n")
    unset = ("AUTHGEAR_DOMAIN", "AUTHGEAR_CLIENT_ID")
    try:
        # A development build reads ./.env; --dotenv=PATH names another.
        for args, cwd in (((), folder), ((f"--dotenv={dotenv}",), None)):
            proc = start_app(unset=unset, args=args, cwd=cwd)
            try:
                assert text(lambda t: t.startswith(f"Settings from {dotenv}") and ISSUER in t) is not None, \
                    f"no banner naming the .env file and the domain ({args})"
                assert text(lambda t: t == "Welcome Guest") is not None
                shot("18-dotenv")
            finally:
                stop_app(proc)
        os.remove(dotenv)
        os.mkfifo(dotenv)
        proc = start_app(unset=unset, cwd=folder)
        try:
            assert text(lambda t: "is not a regular file" in t) is not None, "a FIFO .env did not give its reason"
        finally:
            stop_app(proc)
    finally:
        if os.path.exists(dotenv):
            os.remove(dotenv)


def scenario_port_probe():
    # What a sign-in page loads from the redirect URI's origin (any way of
    # writing localhost) never connects; its own loopback port still works.
    assert not canary.unbound, f"the canary could not listen on port 3000: {canary.unbound}"
    hits = len(canary.hits)
    with hostile_sign_in("webview-port-probe") as (issuer, _proc):
        assert beacon_seen(issuer, 100), "the probing page did not run to its end"
        steps = {b["step"] for b in http_json("/stats", issuer=issuer)["beacons"]}
        assert {201, 202} <= steps, f"requests to another loopback port were blocked too: {sorted(steps)}"
        time.sleep(1)
        assert len(canary.hits) == hits, f"the page connected to port 3000: {canary.hits[hits:]}"
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1"), 5) is not None, \
            "the sign-in page is gone"
        cancel_to_guest()
        assert nothing_stored(issuer)


BROWSER_LOG = os.path.join(SHOTS, "browser.log")


def setup_fake_browser():
    """Makes tests/provider/browser.mjs the session's default web browser."""
    data = os.environ.get("XDG_DATA_HOME", os.path.join(os.environ["HOME"], ".local", "share"))
    config = os.environ.get("XDG_CONFIG_HOME", os.path.join(os.environ["HOME"], ".config"))
    os.makedirs(os.path.join(data, "applications"), exist_ok=True)
    os.makedirs(config, exist_ok=True)
    script = os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "provider", "browser.mjs")
    with open(os.path.join(data, "applications", "ag-test-browser.desktop"), "w") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Test Browser\nNoDisplay=true\n"
                f"Exec=node {script} %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n")
    with open(os.path.join(config, "mimeapps.list"), "w") as f:
        f.write("[Default Applications]\nx-scheme-handler/http=ag-test-browser.desktop\n"
                "x-scheme-handler/https=ag-test-browser.desktop\n")


def forget_browser_log():
    # The print mode's note holds an authorization code: never left behind.
    if os.path.exists(BROWSER_LOG):
        os.remove(BROWSER_LOG)


def browser_notes():
    try:
        with open(BROWSER_LOG) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def browser_note(key, timeout=30):
    assert wait_for(lambda: any(key in n for n in browser_notes()), timeout), \
        f"the browser did not get to {key!r}: {browser_notes()}"
    return [n for n in browser_notes() if key in n][-1]


def port_3000_open():
    import socket
    try:
        socket.create_connection(("127.0.0.1", 3000), timeout=1).close()
        return True
    except OSError:
        return False


def get_3000(path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:3000" + path, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def start_browser_app(mode="follow", extra=None, first="Login"):
    forget_browser_log()
    env = {"AG_TEST_BROWSER_LOG": BROWSER_LOG, "AG_TEST_BROWSER_MODE": mode}
    env.update(extra or {})
    proc = start_app(env)
    try:
        assert text(lambda t: t == "Welcome Guest") is not None, "no Welcome Guest"
        press(first)
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None, \
            "the sign-in page did not open"
        press("Open in Browser")
    except BaseException:
        stop_app(proc)
        raise
    assert text(lambda t: t == "Continue in your browser") is not None, "no Continue in your browser page"
    return proc


def stored_session(issuer=None):
    return secret_tool("lookup", "kind", "session", "issuer", issuer or ISSUER, "client_id", "authgear-login")


def logout_again():
    press("Logout")
    assert text(lambda t: t == "Welcome Guest") is not None
    assert wait_for(lambda: stored_session() == ""), "Logout left the session in the keyring"


def scenario_browser_path():
    canary.stop()
    proc = start_browser_app()
    try:
        shot("13-browser")
        note = browser_note("status")
        assert note["status"] == 200 and "go back to Authgear Login" in note["body"], note
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the browser came back"
        assert wait_for(lambda: stored_session() != ""), "not stored"
        assert wait_for(lambda: not port_3000_open()), "still listening on port 3000 after the sign-in"
        logout_and_quit(proc)
    finally:
        if proc.poll() is None:
            stop_app(proc)
        forget_browser_log()
        canary.start()


def scenario_browser_forgets_authgear_session():
    # A browser that keeps its cookies between runs. Authgear Login asks
    # Authgear (x_sso_enabled=false) to leave no session cookie there, so
    # after Logout the next browser sign-in asks for the email again.
    canary.stop()
    profile = os.path.join(os.environ["TMPDIR"], "browser-profile.json")
    proc = start_browser_app(extra={"AG_TEST_BROWSER_PROFILE": profile})
    try:
        assert browser_note("asked_email")["asked_email"], "the first browser sign-in did not ask for the email"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the browser came back"
        logout_again()
        forget_browser_log()
        press("Login")
        assert find(lambda a: a.getRoleName() == "label" and a.name.startswith("127.0.0.1")) is not None, \
            "the sign-in page did not open"
        press("Open in Browser")
        note = browser_note("asked_email")
        assert note["asked_email"], "after Logout the browser signed in again without asking: Authgear's cookie stayed"
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the second browser sign-in"
        logout_again()
    finally:
        stop_app(proc)
        forget_browser_log()
        if os.path.exists(profile):
            os.remove(profile)
        canary.start()


def scenario_reload_and_signup_on_browser_path():
    # Sign up, then Open in Browser: the browser's page is still the sign-up.
    canary.stop()
    proc = start_browser_app("print", first="Sign up")
    try:
        browser_note("redirect")
        asked = http_json("/dev/stats")["last_authorization"]
        assert asked["x_page"] == "signup", f"Open in Browser dropped the sign-up: {asked}"
        assert wait_for(port_3000_open), "not listening while the browser page shows"
        # Preferences changed while the browser path waits: the sign-in ends
        # as Cancel would end it, the listener with it.
        focus_window()
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+comma"], check=True)
        prefs = frame("Preferences")
        assert prefs is not None, "Ctrl+, did not open Preferences"
        type_into_row(prefs, "Client ID", "authgear-login")
        close = within(prefs, lambda a: a.getRoleName() == "push button" and a.name == "Close")
        close.queryAction().doAction(0)
        assert wait_for(lambda: not port_3000_open()), "the listener outlived the reload"
        assert text(lambda t: t == "Welcome Guest") is not None
        shot("19-reloaded")
    finally:
        stop_app(proc)
        forget_browser_log()
        canary.start()


INTERACTIVE = ("push button", "toggle button", "check box", "menu item", "radio button", "text", "combo box",
               "toggle switch", "menu button", "split button")


def bad_names(root=None):
    """Every control in the app's accessibility tree whose name is empty,
    said twice, a class name or carries a mnemonic's underscore."""
    bad = []

    def walk(a, depth):
        if a is None or depth > 60:
            return
        try:
            role, name = a.getRoleName(), a.name or ""
            children = list(a)
        except Exception:  # noqa: BLE001 - it went away while read
            return
        if role in INTERACTIVE:
            words = name.split()
            half = len(words) // 2
            if not name.strip():
                bad.append(f"{role} without a name")
            elif len(words) % 2 == 0 and half and words[:half] == words[half:]:
                bad.append(f"{role} {name!r}: said twice")
            elif name.startswith(("Gtk", "Adw", "WebKit")):
                bad.append(f"{role} {name!r}: a class name")
            elif "_" in name:
                bad.append(f"{role} {name!r}: a mnemonic's underscore")
        for c in children:
            walk(c, depth + 1)

    walk(root if root is not None else find_app(), 0)
    return bad


def scenario_accessible_names():
    # What a screen reader reads on every page: each control once, by what
    # it shows. The keyboard alone goes Login -> browser -> Welcome -> Logout.
    canary.stop()
    proc = start_browser_app("print")
    try:
        assert not bad_names(), f"guest, sign-in and browser pages: {bad_names()}"
        redirect = browser_note("redirect")["redirect"]
        forget_browser_log()
        type_into_row(frame("Authgear Login"), "Paste the address you were sent back to", redirect)
        press("Continue")
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None
        assert not bad_names(), f"the Welcome page: {bad_names()}"
        focus_window()
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+comma"], check=True)
        prefs = frame("Preferences")
        assert prefs is not None, "Ctrl+, did not open Preferences"
        assert not bad_names(prefs), f"Preferences: {bad_names(prefs)}"
        close = within(prefs, lambda a: a.getRoleName() == "push button" and a.name == "Close")
        close.queryAction().doAction(0)
        time.sleep(0.5)
        focus_window()
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+shift+l"], check=True)
        assert wait_for(lambda: stored_session() == ""), "Logout from the keyboard did not clear the keyring"
    finally:
        stop_app(proc)
        forget_browser_log()
        canary.start()


def scenario_paste_and_hostile_returns():
    canary.stop()
    proc = start_browser_app("print")
    try:
        redirect = browser_note("redirect")["redirect"]
        forget_browser_log()
        assert port_3000_open(), "not listening while the browser page shows"
        status, _ = get_3000("/other")
        assert status == 404, f"/other answered {status}"
        status, body = get_3000("/callback?code=forged&state=forged")
        assert status == 400 and "does not belong to this sign-in" in body, (status, body)
        # Any local process can send that: the window's words stay the same.
        assert text(lambda t: "does not belong to this sign-in" in t, 3) is None, \
            "a request to the listener changed what the window says"
        assert port_3000_open(), "a wrong state ended the wait"
        # A wrong address the person pastes is theirs: the window says so.
        window = frame("Authgear Login")
        type_into_row(window, "Paste the address you were sent back to", "http://localhost:3000/callback?code=forged&state=forged")
        press("Continue")
        assert text(lambda t: "does not belong to this sign-in" in t) is not None, "no error for a wrong pasted address"
        # The person pastes the address their browser could not open.
        type_into_row(window, "Paste the address you were sent back to", redirect)
        press("Continue")
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the pasted address did not sign in"
        assert wait_for(lambda: not port_3000_open()), "still listening after the sign-in"
        logout_again()
    finally:
        stop_app(proc)
        forget_browser_log()
        canary.start()


def clipboard_text():
    """What the person would paste: the display's clipboard, read by a
    small GTK program of its own."""
    code = ("import gi\n"
            "gi.require_version('Gtk', '4.0'); gi.require_version('Gdk', '4.0')\n"
            "from gi.repository import Gdk, GLib, Gtk\n"
            "Gtk.init(); loop = GLib.MainLoop(); out = []\n"
            "def done(c, r):\n"
            "    out.append(c.read_text_finish(r) or ''); loop.quit()\n"
            "Gdk.Display.get_default().get_clipboard().read_text_async(None, done)\n"
            "GLib.timeout_add_seconds(10, loop.quit); loop.run(); print(out[0] if out else '')\n")
    return subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                          timeout=30).stdout.strip()


def copy_link(read):
    """Copy Link, then the clipboard as another program reads it."""
    press("Copy Link")
    url = ""
    for _ in range(10):
        url = read()
        if url.startswith(ISSUER):
            break
        time.sleep(0.5)
    assert url.startswith(ISSUER + "/oauth2/authorize?"), \
        f"{read.__name__} did not read the sign-in link after Copy Link: {url[:60]!r}"
    return url


def run_browser(url, mode="print"):
    """The person opening a copied link in their browser by hand."""
    script = os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "provider", "browser.mjs")
    env = dict(os.environ, AG_TEST_BROWSER_LOG=BROWSER_LOG, AG_TEST_BROWSER_MODE=mode)
    subprocess.run(["node", script, url], env=env, timeout=60, check=True)


def scenario_port_taken_cancel_and_timeout():
    # The canary holds port 3000: the browser's return would reach it, so
    # the app does not open the browser at all, says why, and offers Copy
    # Link and the paste field; that path still signs in.
    proc = start_browser_app("print")
    try:
        assert text(lambda t: "Another program is using port 3000" in t and "was not opened" in t) is not None, \
            "no port-in-use message"
        shot("14-port-taken")
        time.sleep(3 * SLOW)
        assert not browser_notes(), f"the browser was opened with port 3000 taken: {browser_notes()}"
        url = copy_link(clipboard_text)
        run_browser(url)
        redirect = browser_note("redirect")["redirect"]
        forget_browser_log()
        type_into_row(frame("Authgear Login"), "Paste the address you were sent back to", redirect)
        press("Continue")
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "paste did not sign in with the port taken"
        logout_again()
    finally:
        stop_app(proc)
        forget_browser_log()
    assert not canary.hits, f"the app connected to port 3000: {canary.hits}"
    canary.stop()
    # Cancel closes the listener.
    proc = start_browser_app("print")
    try:
        assert wait_for(port_3000_open), "not listening"
        press("Cancel")
        assert text(lambda t: t == "Welcome Guest") is not None
        assert wait_for(lambda: not port_3000_open()), "Cancel left the listener open"
    finally:
        stop_app(proc)
    # Authgear says the person refused: the browser and the window say so.
    proc = start_browser_app("print")
    try:
        from urllib.parse import parse_qs, quote, urlparse
        redirect = browser_note("redirect")["redirect"]
        forget_browser_log()
        state = parse_qs(urlparse(redirect).query)["state"][0]
        status, body = get_3000(f"/callback?error=access_denied&state={quote(state)}&iss={quote(ISSUER, safe='')}")
        assert status == 400 and "Access was denied" in body, (status, body)
        assert text(lambda t: t == "Access was denied") is not None, "no access-denied message in the window"
        assert text(lambda t: t == "Welcome Guest") is not None
        assert wait_for(lambda: not port_3000_open()), "the listener outlived the answer"
    finally:
        stop_app(proc)
    # The wait ends by itself (10 minutes; 4 s here).
    proc = start_browser_app("print", {"AG_BROWSER_WAIT_SECONDS": "4"})
    try:
        assert text(lambda t: "stopped waiting for your browser" in t, 20) is not None, "the wait did not end"
        assert text(lambda t: t == "Welcome Guest") is not None
        assert not port_3000_open(), "the listener outlived the wait"
    finally:
        stop_app(proc)
        forget_browser_log()
        canary.start()


HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "desktop-helper.py")


def window_active():
    """Whether the app's window has the focus: GTK says so in its state."""
    app = find_app()
    try:
        return app is not None and any(w.getRoleName() == "frame" and w.getState().contains(pyatspi.STATE_ACTIVE)
                                       for w in app)
    except Exception:  # noqa: BLE001 - the tree changed under us
        return False


def activate_action(action, token):
    """What GNOME Shell does when the person clicks a notification: the
    app's default action through org.freedesktop.Application, with an
    activation token that lets the window take the focus."""
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION)
    platform = {"activation-token": GLib.Variant("s", token), "desktop-startup-id": GLib.Variant("s", token)}
    bus.call_sync(SCHEMA_ID, "/" + SCHEMA_ID.replace(".", "/"), "org.freedesktop.Application", "ActivateAction",
                  GLib.Variant("(sava{sv})", (action, [], platform)), None, 0, 10000, None)


def notifications(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


@contextlib.contextmanager
def notification_service():
    """The desktop's notification service, on the session bus until the
    block ends; yields the function that lists what it was sent."""
    path = os.path.join(SHOTS, "notifications.jsonl")
    if os.path.exists(path):
        os.remove(path)
    server = subprocess.Popen(["/usr/bin/python3", HELPER, "notifications", path], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready", "the notification service did not start"
        yield lambda: notifications(path)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextlib.contextmanager
def other_window(title):
    """Another program's window, which takes the focus as it opens."""
    win = subprocess.Popen(["/usr/bin/python3", HELPER, "window", title], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    try:
        assert win.stdout.readline().strip() == "shown", f"{title}: its window did not open"
        yield win
    finally:
        win.stdin.close()
        try:
            win.wait(timeout=10)
        except subprocess.TimeoutExpired:
            win.kill()
            win.wait()


def scenario_browser_return_behind():
    # The person is in the browser when it goes back to the app: on Wayland
    # the app may not take the focus by itself. The window says Welcome
    # behind, and a notification says so; clicking it (the shell's
    # ActivateAction with an activation token) brings the window to the
    # front, and the notification goes.
    canary.stop()
    proc = None
    try:
        with notification_service() as sent:
            # In front when the browser comes back: nothing to notify.
            proc = start_browser_app("print")
            redirect = browser_note("redirect")["redirect"]
            # Started without an activation token (GNOME Shell's launcher
            # would give one), the window gets the focus at the first key.
            key("shift")
            assert wait_for(window_active, 10), "the window is not in front to begin with"
            status, _ = get_3000(urllib.parse.urlparse(redirect)._replace(scheme="", netloc="").geturl())
            assert status == 200, f"the app's listener answered {status}"
            assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the browser came back"
            time.sleep(1.5)
            assert not sent(), f"a notification while the window was in front: {sent()}"
            logout_again()
            stop_app(proc)
            proc = start_browser_app("print")
            redirect = browser_note("redirect")["redirect"]
            with other_window("Test Browser") as browser:
                assert wait_for(lambda: not window_active(), 10), "the browser's window did not take the focus"
                # The browser goes back to the app, as a person's would.
                status, body = get_3000(urllib.parse.urlparse(redirect)._replace(scheme="", netloc="").geturl())
                assert status == 200, f"the app's listener answered {status}"
                assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "no Welcome after the browser came back"
                assert wait_for(lambda: any(n["call"] == "AddNotification" for n in sent()), 10), \
                    f"no notification while the window stayed behind the browser: {sent()}"
                note = [n for n in sent() if n["call"] == "AddNotification"][-1]
                assert note["app"] == SCHEMA_ID and note["title"] == "Signed in", note
                assert note["body"] == "Welcome Alice Liddell!", note
                assert note["default-action"] == "app.show-window", note
                if not WAYLAND:
                    return  # X11 lets the window come forward by itself
                assert not window_active(), "the window took the focus without a token?"
                # The person clicks the notification: an input event in
                # the shell, which then asks for an activation token.
                key("shift")
                browser.stdin.write("token\n")
                browser.stdin.flush()
                token = ""
                for line in browser.stdout:  # its other lines say when its focus changes
                    if line.startswith("token"):
                        token = line.removeprefix("token").strip()
                        break
                assert token, "the compositor gave no activation token"
                activate_action("show-window", token)
                assert wait_for(window_active, 10), "the notification did not bring the window to the front"
                assert wait_for(lambda: sent()[-1]["call"] == "RemoveNotification", 10), \
                    f"the notification stayed after the window came to the front: {sent()}"
            logout_again()
            stop_app(proc)
            # Refused in the browser: the notification says the sign-in did
            # not finish, and why; the person closes the browser, the window
            # is in front again, and the notification goes.
            proc = start_browser_app("print")
            redirect = browser_note("redirect")["redirect"]
            state = urllib.parse.parse_qs(urllib.parse.urlparse(redirect).query)["state"][0]
            added = sum(n["call"] == "AddNotification" for n in sent())
            with other_window("Test Browser"):
                assert wait_for(lambda: not window_active(), 10), "the browser's window did not take the focus"
                status, _ = get_3000(f"/callback?error=access_denied&state={urllib.parse.quote(state)}"
                                     f"&iss={urllib.parse.quote(ISSUER, safe='')}")
                assert status == 400, f"the app's listener answered {status} to access_denied"
                assert wait_for(lambda: sum(n["call"] == "AddNotification" for n in sent()) > added, 10), \
                    f"no notification of the refused sign-in: {sent()}"
                note = [n for n in sent() if n["call"] == "AddNotification"][-1]
                assert note["title"] == "Sign-in did not finish" and note["body"] == "Access was denied", note
            if WAYLAND:
                assert wait_for(window_active, 10), "the window did not come back when the browser closed"
                assert wait_for(lambda: sent()[-1]["call"] == "RemoveNotification", 10), \
                    f"the notification stayed once the window was in front: {sent()}"
            assert text(lambda t: t == "Welcome Guest") is not None
    finally:
        if proc is not None:
            stop_app(proc)
        forget_browser_log()
        canary.start()


def wl_paste():
    r = subprocess.run(["wl-paste", "--no-newline", "--type", "text/plain;charset=utf-8"], capture_output=True,
                       text=True, timeout=15)
    return r.stdout if r.returncode == 0 else ""


def scenario_copy_link_wayland():
    # Copy Link on the browser page, read by another Wayland client; the
    # link it copied is the sign-in under way: opened by hand, it signs in.
    canary.stop()
    proc = start_browser_app("print")
    try:
        browser_note("redirect")
        url = copy_link(wl_paste)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
        assert query.get("client_id") == ["authgear-login"] and query.get("code_challenge_method") == ["S256"], \
            sorted(query)
        forget_browser_log()
        run_browser(url, mode="follow")
        assert text(lambda t: t == "Welcome Alice Liddell!") is not None, "the copied link did not sign in"
        logout_again()
    finally:
        stop_app(proc)
        forget_browser_log()
        canary.start()


def canary_check():
    assert not canary.unbound, f"could not listen on port 3000: {canary.unbound}"
    assert not canary.hits, f"something connected to port 3000: {canary.hits}"


def report():
    """TAP for every check run, and the exit status."""
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, err) in enumerate(results, 1):
        if err is None:
            print(f"ok {i} - {name}")
        else:
            failed += 1
            print(f"not ok {i} - {name}")
            # One line, with where it failed: a CI log shows only this.
            where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
            text = str(err).replace("\n", " | ")
            print(f"# {type(err).__name__}: {text}" + (f" (line {where.lineno}: {where.line})" if where else ""))
    sys.exit(1 if failed else 0)


def main_wayland():
    # The central checks, on GNOME's own compositor.
    check("Wayland: launch, Login, email and code in the embedded page: Welcome Alice Liddell! and the keyring holds it",
          scenario_login)
    check("Wayland: restart: Welcome without a sign-in or a token request", scenario_restart)
    check("Wayland: Logout: Welcome Guest, keyring cleared, refresh token revoked", scenario_logout)
    check("Wayland: Logout and Ctrl+Q the moment Welcome shows: nothing is left in the keyring", scenario_logout_at_once)
    setup_fake_browser()
    check("Wayland: Open in Browser: the browser signs in and comes back; Welcome; the listener closes",
          scenario_browser_path)
    check("Wayland: back from the browser in front: no notification; behind the browser's window: a notification says so, "
          "clicking it brings the window forward; a refused sign-in says why, and its notification goes when the browser closes",
          scenario_browser_return_behind)
    check("Wayland: Copy Link read back by wl-paste; the copied link signs in", scenario_copy_link_wayland)
    check("nothing connected to port 3000 (127.0.0.1 and ::1) during the whole run", canary_check)
    report()


def main():
    if WAYLAND:
        main_wayland()
        return
    check("launch, Login, email and code: Welcome Alice Liddell! and the keyring holds it", scenario_login)
    check("restart: Welcome without a sign-in or a token request", scenario_restart)
    check("--print-access-token and --print-user-info print Alice's, alone and through the running app",
          scenario_command_line)
    check("Manage Account: Authgear's settings page in the window; a new name shows after Done; no token leaks",
          scenario_manage_account)
    check("Reveal asks Authgear to confirm it is you; Cancel keeps the tokens hidden", scenario_reveal_asks_again)
    check("Logout: Welcome Guest, keyring cleared, refresh token revoked", scenario_logout)
    check("signed out, the command line says so on stderr, exits 1 and prints nothing", scenario_command_line_signed_out)
    check("Logout and Ctrl+Q the moment Welcome shows: nothing is left in the keyring", scenario_logout_at_once)
    check("Manage Account: an unreachable provider keeps the session; InvalidGrant ends it and says why",
          scenario_account_failures)
    check("a client without full access signs in; Manage Account says why it is off", scenario_no_full_access)
    check("Change Email shows the new address; Delete Account ends the session, empties the keyring, refuses the token",
          scenario_change_email_and_delete_account)
    check("Cancel returns to Guest; an unreachable provider shows an error", scenario_cancel_and_provider_down)
    check("Sign up opens the provider's Create account page", scenario_signup)
    check("a token endpoint 15 s late: the wait says so, Escape leaves it, the next Login and Manage Account work",
          scenario_slow_exchange)
    check("Reveal's confirmation with its ID-token grant 15 s late, and the profile read again 15 s late: each wait says so and is left",
          scenario_slow_reauthentication)
    check("a keyring that does not answer: the start says so after a few seconds; Continue Without Keyring signs in for this run only",
          scenario_keyring_wait)
    check("first start opens Preferences; values checked as typed; a client secret in the keyring signs in", scenario_preferences)
    check("10 s access token: refreshed by itself, keyring updated, still Welcome", scenario_token_refresh)
    check("Ctrl+? shows the shortcuts; a second launch presents the first window", scenario_shortcuts_and_single_instance)
    check("LANGUAGE=de: German window, Anmelden, and ui_locales=de for Authgear", scenario_german)
    check("a hostile sign-in page: pop-up, _blank, file:, data:, custom scheme and a forged callback all fail", scenario_hostile_page)
    check("frames and a main frame that go to the redirect URI with a forged state do not end the sign-in",
          scenario_subframe_redirects)
    check("a sign-in page's downloads are cancelled, its file input opens nothing, its context menu has no download",
          scenario_files_and_context_menu)
    check("a .env file: the guest view names it and the domain; a FIFO is refused at once", scenario_dotenv)
    check("a sign-in page's image, fetch, XHR, iframe, prefetch, beacon, form and WebSocket never reach port 3000",
          scenario_port_probe)
    check("a sign-in page on a self-signed certificate is not opened, and the window says why", scenario_tls_page)
    check("a token endpoint that never answers: the window stays responsive, then says so", scenario_token_endpoint_hangs)
    setup_fake_browser()
    check("Open in Browser: the browser signs in and comes back to port 3000; Welcome; the listener closes", scenario_browser_path)
    check("after Logout, Open in Browser asks for the email again: the browser kept no Authgear session",
          scenario_browser_forgets_authgear_session)
    check("Sign up then Open in Browser keeps the sign-up; Preferences changed meanwhile ends the wait and the listener",
          scenario_reload_and_signup_on_browser_path)
    check("every control on every page has one accessible name, what it shows", scenario_accessible_names)
    check("paste the callback; /other is 404, a wrong state is refused and the wait goes on", scenario_paste_and_hostile_returns)
    check("port 3000 taken: said, paste still signs in; Cancel, access_denied and the time limit close the listener", scenario_port_taken_cancel_and_timeout)
    check("nothing connected to port 3000 (127.0.0.1 and ::1) during the whole run", canary_check)

    report()


if __name__ == "__main__":
    main()
