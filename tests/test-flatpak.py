#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifests: JSON, the right app ID, command and GNOME runtime,
exactly the agreed finish-args (no file system, no bus names: secrets go
through the Secret portal), a meson module built from this checkout whose
tests run in the build sandbox (each suite that needs a display, a bus, a
keyring or the provider reports a TAP skip there), translations in the app
itself (a single-file bundle has no Locale extension), and accepted by
flatpak-builder --show-manifest. build-aux/run-flatpak builds and runs them
against a stand-in runtime made from Debian's packages."""
import json
import os
import shutil
import subprocess
import sys

root = sys.argv[1]
FINISH_ARGS = ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"]
BASE = "io.github.authgearlogin.AuthgearLogin"
results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


for app_id in (BASE, BASE + ".Devel"):
    path = os.path.join(root, "flatpak", app_id + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        check(f"{app_id}: parses as JSON", False, str(e))
        continue
    check(f"{app_id}: parses as JSON", True)
    check(f"{app_id}: id", m.get("id") == app_id, m.get("id"))
    check(f"{app_id}: command", m.get("command") == "authgear-login", m.get("command"))
    check(f"{app_id}: GNOME runtime and SDK of one branch",
          m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk"
          and str(m.get("runtime-version", "")).isdigit(), f"{m.get('runtime')} {m.get('runtime-version')}")
    check(f"{app_id}: exactly the agreed finish-args", sorted(m.get("finish-args", [])) == sorted(FINISH_ARGS),
          m.get("finish-args"))
    modules = m.get("modules", [])
    app = modules[-1] if modules else {}
    devel = "-Ddevelopment=true" in app.get("config-opts", [])
    check(f"{app_id}: the app module is meson, from this checkout, with tests",
          app.get("buildsystem") == "meson" and app.get("run-tests") is True
          and any(s.get("type") == "dir" for s in app.get("sources", [])), json.dumps(app)[:200])
    check(f"{app_id}: development option matches the ID", devel == app_id.endswith(".Devel"))
    check(f"{app_id}: the translations stay in the app, so a bundle carries them",
          m.get("separate-locales") is False, m.get("separate-locales"))
    dropped = {"/include", "/lib/pkgconfig", "/share/gir-1.0", "*.a"}
    check(f"{app_id}: the library's development files are dropped (headers, .pc, .gir)",
          dropped <= set(m.get("cleanup", [])), m.get("cleanup"))
    builder = shutil.which("flatpak-builder")
    if builder:
        r = subprocess.run([builder, "--show-manifest", path], capture_output=True, text=True)
        check(f"{app_id}: flatpak-builder --show-manifest accepts it", r.returncode == 0, r.stderr.strip())

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print(f"# {detail}")
if not shutil.which("flatpak-builder"):
    print("# flatpak-builder not found: --show-manifest not checked")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
