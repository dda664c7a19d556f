#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The library's examples, run as a developer would run them, against the
development provider, with tests/provider/browser.mjs as the person's web
browser: examples/c/sign-in.c (built), examples/python/sign-in.py
(PyGObject) and examples/gjs/sign-in.js (GJS), both through the built
typelib, and examples/vala/sign-in.vala (built against the generated
VAPI). Each must greet the person, print the user info, refresh if needed
and log out, leave nothing in the keyring and print nothing else.
  test-examples.py C-EXAMPLE LIBDIR [VALA-EXAMPLE]   (TAP; inside build-aux/test-session)"""
import shutil
import json
import os
import re
import subprocess
import sys
import tempfile

EXAMPLE_C, LIBDIR = sys.argv[1], sys.argv[2]
EXAMPLE_VALA = sys.argv[3] if len(sys.argv) > 3 else ""
SOURCE = os.environ["AG_SOURCE_ROOT"]
ISSUER = os.environ.get("AG_TEST_PROVIDER")
if not ISSUER:
    print("1..0 # SKIP needs the development provider: run under build-aux/test-session")
    sys.exit(0)
SCHEMA = "com.authgear.glib.Session"
n = 0
failed = 0


def check(name, fn):
    global n, failed
    n += 1
    try:
        fn()
        print(f"ok {n} - {name}", flush=True)
    except AssertionError as e:
        failed += 1
        print(f"not ok {n} - {name}\n# {e}", flush=True)


def environment(tmp):
    """A desktop whose default browser is the scripted one."""
    data, config = os.path.join(tmp, "data"), os.path.join(tmp, "config")
    os.makedirs(os.path.join(data, "applications"))
    os.makedirs(config)
    script = os.path.join(SOURCE, "tests", "provider", "browser.mjs")
    with open(os.path.join(data, "applications", "ag-test-browser.desktop"), "w") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Test Browser\nNoDisplay=true\n"
                f"Exec=node {script} %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n")
    with open(os.path.join(config, "mimeapps.list"), "w") as f:
        f.write("[Default Applications]\nx-scheme-handler/http=ag-test-browser.desktop\n"
                "x-scheme-handler/https=ag-test-browser.desktop\n")
    return dict(os.environ, XDG_DATA_HOME=data, XDG_CONFIG_HOME=config,
                AG_TEST_BROWSER_LOG=os.path.join(tmp, "browser.log"), AG_TEST_BROWSER_MODE="follow",
                AUTHGEAR_ENDPOINT=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login",
                GI_TYPELIB_PATH=LIBDIR, LD_LIBRARY_PATH=LIBDIR)


def library_session_stored():
    r = subprocess.run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "issuer", ISSUER,
                        "client_id", "authgear-login"], capture_output=True)
    return r.returncode == 0 and r.stdout != b""


def run_example(argv):
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(tmp)
        r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        notes = []
        if os.path.exists(env["AG_TEST_BROWSER_LOG"]):
            with open(env["AG_TEST_BROWSER_LOG"]) as f:
                notes = [json.loads(line) for line in f if line.strip()]
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()[-500:]} (browser: {notes})"
    out = r.stdout
    assert not re.search(r"CRITICAL|WARNING", r.stderr), f"GLib complained: {r.stderr.strip()[-500:]}"
    greeting = re.search(r"^Welcome (.+)!$", out, re.M)
    assert greeting and greeting.group(1) != "Guest", f"no greeting in {out!r}"
    start, end = out.index("{"), out.rindex("}") + 1
    info = json.loads(out[start:end])
    assert info.get("sub") and info.get("email"), f"the user info lacks sub or email: {sorted(info)}"
    assert greeting.group(1) in (info.get("name"), info.get("preferred_username"), info.get("email"), info["sub"])
    rest = (out[:start] + out[end:]).split("\n")
    expected = {"Sign in in your browser...", greeting.group(0), "The access token is fresh", "Logged out", ""}
    assert set(rest) <= expected, f"unexpected output: {set(rest) - expected}"
    assert rest.index("Logged out") > rest.index("The access token is fresh")
    assert any(note.get("status") == 200 for note in notes), f"the browser was not answered: {notes}"
    assert not library_session_stored(), "the session is still in the keyring after logout"


# The README's code block language, and the example it quotes.
FILES = {"c": ("c", "sign-in.c"), "python": ("python", "sign-in.py"),
         "js": ("gjs", "sign-in.js"), "vala": ("vala", "sign-in.vala")}


def needs(program):
    assert program, "not built: valac was not found when the build was set up (build-aux/install-deps installs it)"
    assert shutil.which(program) or os.path.exists(program), f"{program} is not installed"


def run_gjs():
    needs("gjs")
    run_example(["gjs", "-m", os.path.join(SOURCE, "examples", "gjs", "sign-in.js")])


def run_vala():
    needs(EXAMPLE_VALA)
    run_example([EXAMPLE_VALA])


def readme_snippets():
    """Every line of the README's C and Python snippets is a line of the
    example it names: the README shows what the tests run."""
    with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme[readme.index("## Use Authgear from your own program"):]
    section = section[:section.index("### From a script")]
    blocks = re.findall(r"```(c|python|js|vala)\n(.*?)```", section, re.S)
    assert {lang for lang, _ in blocks} == set(FILES), f"snippets found: {[b[0] for b in blocks]}"
    for lang, code in blocks:
        path = os.path.join(SOURCE, "examples", *FILES[lang])
        with open(path, encoding="utf-8") as f:
            lines = {line.strip() for line in f}
        missing = [line for line in code.splitlines() if line.strip() and line.strip() not in lines]
        assert not missing, f"README {lang} lines not in {path}: {missing}"


def typelib_api():
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(tmp)
        r = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "tests", "typelib", "api.py")],
                           env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == "api ok\n", f"exit {r.returncode}: {r.stderr.strip()[-800:]}"
    assert not re.search(r"CRITICAL|WARNING", r.stderr), f"GLib complained: {r.stderr.strip()[-500:]}"


print("1..6", flush=True)
check("the README's snippets are lines of the examples", readme_snippets)
check("the C example signs in through the browser, greets, refreshes and logs out",
      lambda: run_example([EXAMPLE_C]))
check("the Python example does the same through GObject introspection",
      lambda: run_example(["/usr/bin/python3", os.path.join(SOURCE, "examples", "python", "sign-in.py")]))
check("the GJS example does the same through the typelib, with promises", run_gjs)
check("the Vala example does the same through the generated VAPI, with async and yield", run_vala)
check("through the typelib: FAILED is 0, bad user info is an Authgear error, the runtime version, "
      "a per-call user agent, get_user_info the same object", typelib_api)
sys.exit(1 if failed else 0)
