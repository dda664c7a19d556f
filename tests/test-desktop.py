#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authgear Login as people get it, not the build tree: driven as a person
would, with the helpers of test-gui.py (AT-SPI, xdotool, the provider's
outbox), inside build-aux/test-session.

    test-desktop.py installed SOURCE_DIR
        The README's install commands into ~/.local (no LD_LIBRARY_PATH,
        no GSETTINGS_SCHEMA_DIR), then started the way GNOME Shell's menu
        starts it: its desktop entry by ID, D-Bus activation from the
        installed service file. Sign in, quit, start from the menu again
        (the stored session), Logout.

    test-desktop.py flatpak APP_ID BUNDLE
        The Flatpak installed by build-aux/run-flatpak (FLATPAK_USER_DIR):
        sign in inside the sandbox, the session kept through the Secret
        portal under the app's ID, a restart with no request, the command
        line's token from the sandbox, Logout; then the single-file BUNDLE
        installed in its place, which must carry German.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gui", os.path.join(HERE, "test-gui.py"))
gui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gui)  # prints a TAP skip and exits outside a test session
button, check, http_json, press, report, shot, text, wait_for = (
    gui.button, gui.check, gui.http_json, gui.press, gui.report, gui.shot, gui.text, gui.wait_for)
RELEASE_ID = "io.github.authgearlogin.AuthgearLogin"
ISSUER = gui.ISSUER
HOME = os.environ["HOME"]


def step(message):
    print(f"# {message}", flush=True)


def app_pid():
    app = gui.find_app()
    return app.get_process_id() if app is not None else None


def quit_with_ctrl_q(pid):
    """Ctrl+Q, as a person quits; waits until process @pid has gone."""
    gui.focus_window()
    subprocess.run(["xdotool", "key", "ctrl+q"], check=True)
    subprocess.run(["xdotool", "keyup", "ctrl", "q"], check=False)
    assert wait_for(lambda: not os.path.exists(f"/proc/{pid}"), 20), "Ctrl+Q did not end the app"


def sign_in():
    assert text(lambda t: t == "Welcome Guest", 30) is not None, "no Welcome Guest"
    press("Login")
    gui.sign_in_with_email()
    assert text(lambda t: t == "Welcome Alice Liddell!", 30) is not None, "no Welcome Alice Liddell!"


# -- installed into ~/.local, started from the menu ---------------------------

def launch_from_menu(desktop_id):
    """What GNOME Shell does with a click in the menu: the desktop entry by
    its ID (found in ~/.local/share/applications), launched by GIO, which
    asks D-Bus to start a DBusActivatable app from its service file."""
    # The launch's Activate call is answered once D-Bus has started the app;
    # a launcher that left before that answer would take the call with it
    # (GNOME Shell stays): wait for it, as launch_uris_async lets one.
    code = ("import sys, gi\nfrom gi.repository import Gio, GLib\n"
            "info = Gio.DesktopAppInfo.new(sys.argv[1])\n"
            "if info is None: sys.exit('no desktop entry ' + sys.argv[1])\n"
            "loop, ok = GLib.MainLoop(), []\n"
            "def done(i, res):\n    ok.append(i.launch_uris_finish(res)); loop.quit()\n"
            "info.launch_uris_async([], None, None, done)\n"
            "loop.run()\nsys.exit(0 if ok[0] else 1)\n")
    r = subprocess.run(["/usr/bin/python3", "-c", code, desktop_id], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, f"the menu could not launch {desktop_id}: {r.stderr.strip()[-300:]}"


def installed_main(source):
    prefix = os.path.join(HOME, ".local")
    build = tempfile.mkdtemp(prefix="installed-build.")
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_LIBRARY_PATH", "GSETTINGS_SCHEMA_DIR", "GSETTINGS_BACKEND")}
    desktop_id = RELEASE_ID + ".desktop"
    program = os.path.join(prefix, "bin", "authgear-login")

    def install():
        # The README's commands, word for word but for the build folder.
        start = time.monotonic()
        for argv in (["meson", "setup", build, f"--prefix={prefix}"], ["meson", "install", "-C", build]):
            r = subprocess.run(argv, cwd=source, env=env, capture_output=True, text=True)
            assert r.returncode == 0, f"{' '.join(argv[:2])} failed: {r.stdout[-400:]}{r.stderr[-400:]}"
        step(f"built and installed into ~/.local in {time.monotonic() - start:.0f} s")
        r = subprocess.run([program, "--version"], env=env, capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout.startswith("authgear-login "), \
            f"~/.local/bin/authgear-login --version: exit {r.returncode}: {r.stderr.strip()[-300:]}"
        r = subprocess.run([program, "--print-access-token"], env=dict(env, AUTHGEAR_DOMAIN=ISSUER,
                           AUTHGEAR_CLIENT_ID="authgear-login"), capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and r.stdout == "" and "Not signed in" in r.stderr, \
            f"signed out: exit {r.returncode}, stdout {len(r.stdout)} characters, stderr {r.stderr.strip()[-200:]!r}"
        # The person's settings, as Preferences would keep them (dconf).
        for key, value in (("authgear-domain", ISSUER), ("client-id", "authgear-login")):
            subprocess.run(["gsettings", "set", RELEASE_ID, key, value], env=env, check=True)

    def menu_sign_in():
        gui.CURRENT["pid"] = None
        launch_from_menu(desktop_id)
        sign_in()
        pid = app_pid()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        assert argv[0].decode() == program and b"--gapplication-service" in argv, \
            f"not started by D-Bus from the installed service file: {argv}"
        with open(f"/proc/{pid}/environ", "rb") as f:
            assert not any(v.startswith(b"LD_LIBRARY_PATH=") for v in f.read().split(b"\0")), "LD_LIBRARY_PATH set"
        shot("installed-signed-in")
        assert wait_for(lambda: gui.keyring_items() == 1), "the keyring does not hold the session"
        quit_with_ctrl_q(pid)

    def menu_restart_and_logout():
        http_json("/dev/stats", "POST")
        launch_from_menu(desktop_id)
        assert text(lambda t: t == "Welcome Alice Liddell!", 30) is not None, "the stored session was not shown"
        stats = http_json("/dev/stats")
        assert stats["token"] == 0 and stats["userinfo"] == 0, f"network used on restart: {stats}"
        press("Logout")
        assert text(lambda t: t == "Welcome Guest") is not None, "no Welcome Guest after Logout"
        assert wait_for(lambda: gui.keyring_items() == 0), "the keyring still holds the session"
        assert wait_for(lambda: http_json("/dev/stats")["revocation"] == 1), "the refresh token was not revoked"
        quit_with_ctrl_q(app_pid())

    try:
        check("the README's commands install into ~/.local; the program runs with no LD_LIBRARY_PATH", install)
        if gui.results[-1][1] is None:
            check("started from the menu (D-Bus activation): Login, email and code, Welcome; Ctrl+Q", menu_sign_in)
            check("started from the menu again: Welcome from the stored session, no request; Logout empties the keyring",
                  menu_restart_and_logout)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    check("nothing connected to port 3000 (127.0.0.1 and ::1) during the whole run", gui.canary_check)
    report()


# -- the Flatpak --------------------------------------------------------------

def flatpak_argv(app_id, *args):
    argv = ["flatpak", "run", app_id, *args]
    # CI runs as root, and root keeps CAP_SYS_NICE in the sandbox: without
    # rtkit, WebKit then makes its threads real-time with a 0 µs limit and
    # the kernel kills the app (SIGKILL) right after Login. A person's
    # desktop has rtkit and no such capability: drop it for the test.
    if os.geteuid() == 0:
        argv = ["setpriv", "--bounding-set", "-sys_nice", *argv]
    return argv


def flatpak_running(app_id):
    """Whether any instance of the app is still there: its sandbox
    (flatpak ps) or its D-Bus name, which a new start would hand its
    activation to instead of opening a window."""
    ps = subprocess.run(["flatpak", "ps", "--columns=application"], capture_output=True, text=True).stdout
    owned = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                            "--object-path", "/org/freedesktop/DBus",
                            "--method", "org.freedesktop.DBus.NameHasOwner", app_id],
                           capture_output=True, text=True).stdout
    return app_id in ps.split() or "true" in owned


def flatpak_stop(app_id, proc):
    """Ends the sandboxed app for good. Ending `flatpak run` (bubblewrap)
    leaves the app inside running with its D-Bus name: every start after it
    would then only activate that one. flatpak kill ends the sandbox."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if flatpak_running(app_id):
        subprocess.run(["flatpak", "kill", app_id], capture_output=True)
    assert wait_for(lambda: not flatpak_running(app_id), 15), f"{app_id} still runs after flatpak kill"


def flatpak_start(app_id, expect, extra=None):
    """Starts the sandboxed app and waits for the label @expect.

    The app waits for the Secret portal's answer at start-up, which Debian
    12's libsecret 0.20.5 (in the stand-in runtime) could lose; the app now
    asks again (src/oidc/ag-secret-portal.c). Should a start still not show
    @expect, the test says what it saw, ends that sandbox, and starts it
    once more, as a person would."""
    env = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login")
    env.update(extra or {})
    log = os.path.join(gui.SHOTS, f"flatpak-{app_id}.log")
    gui.CURRENT["pid"] = None  # the sandbox's process, not flatpak run's
    # The one before has ended: its name gone too, so this start is the app.
    assert wait_for(lambda: not flatpak_running(app_id), 15), f"{app_id} from before still runs"
    for attempt in range(2):
        with open(log, "a") as out:
            proc = subprocess.Popen(flatpak_argv(app_id), env=env, stdout=out, stderr=out)
        if text(lambda t: t == expect, 30) is not None:
            return proc
        shot(f"flatpak-start-stuck-{attempt}")
        app = gui.find_app()
        labels = []
        if app is not None:
            try:
                labels = [a.name for a in gui.pyatspi.findAllDescendants(app, lambda a: a.getRoleName() == "label"
                                                                     and gui.showing(a) and a.name)][:8]
            except Exception:  # noqa: BLE001 - the tree changed under us
                pass
        with open(log, errors="replace") as f:
            tail = [line.strip() for line in f if line.strip() and "Screen coordinates" not in line][-5:]
        print(f"# {app_id}: no {expect!r} 30 s after its start (attempt {attempt + 1}); "
              f"flatpak run {'ended with ' + str(proc.returncode) if proc.poll() is not None else 'still runs'}; "
              f"in the accessibility tree: {'the app, showing ' + repr(labels) if app else 'no app'}; "
              f"its log ends: {tail}", flush=True)
        flatpak_stop(app_id, proc)
    raise AssertionError(f"{app_id} never showed {expect!r}")


def flatpak_cli(app_id, *args):
    env = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login")
    return subprocess.run(flatpak_argv(app_id, *args), env=env, capture_output=True, text=True, timeout=120)


def flatpak_quit(proc):
    gui.focus_window()
    subprocess.run(["xdotool", "key", "ctrl+q"], check=True)
    subprocess.run(["xdotool", "keyup", "ctrl", "q"], check=False)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait(timeout=10)
        raise AssertionError("Ctrl+Q did not end the sandboxed app")


def portal_items(app_id):
    """Items the Secret portal keeps for the app in the person's keyring:
    the Secret Service's own search by attribute (gnome-keyring refuses to
    read such an item's attributes back over D-Bus, so no listing)."""
    r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                        "--object-path", "/org/freedesktop/secrets",
                        "--method", "org.freedesktop.Secret.Service.SearchItems", f"{{'app_id': '{app_id}'}}"],
                       capture_output=True, text=True)
    return r.stdout.count("/org/freedesktop/secrets/collection/")


def flatpak_main(app_id, bundle):
    state = {}
    # A GNOME session says so: xdg-desktop-portal then takes gnome-keyring's
    # Secret backend (UseIn=gnome), which keeps the key of the app's keyring.
    os.environ["XDG_CURRENT_DESKTOP"] = "GNOME"
    subprocess.run(["dbus-update-activation-environment", "XDG_CURRENT_DESKTOP=GNOME"], check=True)

    def sandbox_sign_in():
        proc = flatpak_start(app_id, "Welcome Guest")
        try:
            sign_in()
            shot("flatpak-signed-in")
            assert proc.poll() is None, f"the sandboxed app ended ({proc.returncode})"
            keyrings = os.path.join(HOME, ".var", "app", app_id, "data", "keyrings")
            assert wait_for(lambda: os.path.isdir(keyrings) and os.listdir(keyrings), 15), \
                f"no keyring file in the app's data folder: {gui.files_under(os.path.join(HOME, '.var', 'app', app_id, 'data'))}"
            assert wait_for(lambda: portal_items(app_id) >= 1, 15), \
                "no secret in the keyring under the app's ID: the Secret portal was not used"
            r = flatpak_cli(app_id, "--print-access-token")
            assert r.returncode == 0 and r.stdout.strip(), \
                f"flatpak run --print-access-token: exit {r.returncode}, {len(r.stdout)} characters, {r.stderr.strip()[-200:]!r}"
            token = r.stdout.strip()
            assert gui.userinfo_with(token).get("name") == "Alice Liddell", "the printed token is not Alice's"
            hits = gui.files_containing(HOME, [token], "/nonexistent")
            assert not hits, f"the access token is written in plain text to {hits}"
            flatpak_quit(proc)
        finally:
            flatpak_stop(app_id, proc)
        state["signed_in"] = True

    def sandbox_restart_and_logout():
        assert state.get("signed_in"), "the sign-in before this failed"
        http_json("/dev/stats", "POST")
        proc = flatpak_start(app_id, "Welcome Alice Liddell!")
        try:
            stats = http_json("/dev/stats")
            assert stats["token"] == 0 and stats["userinfo"] == 0, f"network used on restart: {stats}"
            press("Logout")
            assert wait_for(lambda: http_json("/dev/stats")["revocation"] == 1), "the refresh token was not revoked"
            assert text(lambda t: t == "Welcome Guest") is not None, "no Welcome Guest after Logout"
            r = flatpak_cli(app_id, "--print-access-token")
            assert r.returncode == 1 and r.stdout == "" and "Not signed in" in r.stderr, \
                f"after Logout: exit {r.returncode}, {len(r.stdout)} characters, {r.stderr.strip()[-200:]!r}"
            flatpak_quit(proc)
        finally:
            flatpak_stop(app_id, proc)
        # Started again: nothing was kept (a session that came back would
        # show Welcome Alice Liddell! instead).
        proc = flatpak_start(app_id, "Welcome Guest")
        try:
            flatpak_quit(proc)
        finally:
            flatpak_stop(app_id, proc)

    def bundle_in_german():
        r = subprocess.run(["flatpak", "uninstall", "--user", "-y", "--noninteractive", app_id],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"uninstall: {r.stderr.strip()[-300:]}"
        r = subprocess.run(["flatpak", "install", "--user", "-y", "--noninteractive", "--bundle", bundle],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"flatpak install --bundle: {r.stderr.strip()[-300:]}"
        proc = flatpak_start(app_id, "Willkommen, Gast", {"LANGUAGE": "de", "LANG": "C.UTF-8"})
        try:
            assert button("Anmelden") is not None, "no German Login button"
            shot("flatpak-bundle-german")
            press("Anmelden")
            gui.sign_in_with_email()
            assert text(lambda t: t == "Willkommen, Alice Liddell!", 30) is not None, "the bundle did not sign in"
            revoked = http_json("/dev/stats")["revocation"]
            press("Abmelden")
            # The guest page was shown before (its widgets keep their extents
            # in the AT-SPI tree): the revocation says the Logout happened.
            assert wait_for(lambda: http_json("/dev/stats")["revocation"] == revoked + 1), "Abmelden revoked nothing"
            assert text(lambda t: t == "Willkommen, Gast") is not None, "no Willkommen, Gast after Abmelden"
            flatpak_quit(proc)
        finally:
            flatpak_stop(app_id, proc)

    check(f"{app_id} in its sandbox: Login, email and code, Welcome; the Secret portal keeps the session; "
          "flatpak run --print-access-token prints Alice's token", sandbox_sign_in)
    check(f"{app_id} again: Welcome with no request; Logout: revoked, the command line says signed out, "
          "a restart shows Welcome Guest", sandbox_restart_and_logout)
    if bundle:
        check("the single-file bundle installs, speaks German without a Locale extension, and signs in",
              bundle_in_german)
    check("nothing connected to port 3000 (127.0.0.1 and ::1) during the whole run", gui.canary_check)
    report()


if __name__ == "__main__":
    if sys.argv[1] == "installed":
        installed_main(sys.argv[2])
    elif sys.argv[1] == "flatpak":
        flatpak_main(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        sys.exit(f"usage: {sys.argv[0]} installed SOURCE_DIR | flatpak APP_ID [BUNDLE]")
