#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The measurements behind build-aux/run-bench, run inside
build-aux/test-session (keyring, Xvfb, AT-SPI, development provider).

    bench.py BUILD_DIR OUT_DIR

Each figure is taken several times after a warm-up; the table gives the
median with min and max, and ratios against baselines measured in the same
run. Writes OUT_DIR/bench.md and OUT_DIR/bench.png."""
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

BUILD, OUT = sys.argv[1], sys.argv[2]
APP = os.path.join(BUILD, "src", "authgear-login")
BASELINE = os.path.join(BUILD, "tests", "bench", "bench-baseline")
BASELINE_LIBS = os.path.join(BUILD, "tests", "bench", "bench-baseline-libs")
CORE = os.path.join(BUILD, "tests", "bench", "bench-core")
ISSUER = os.environ["AG_TEST_PROVIDER"]
APP_ID = "io.github.authgearlogin.AuthgearLogin"   # run-bench builds the release configuration
RUNS = int(os.environ.get("AG_BENCH_RUNS", "7"))
# Start-ups take half a second and vary by a tenth between runs: more of them.
START_RUNS = int(os.environ.get("AG_BENCH_START_RUNS", "21"))
CYCLES = int(os.environ.get("AG_BENCH_CYCLES", "50"))
IDLE = int(os.environ.get("AG_BENCH_IDLE_SECONDS", "60"))
# AG_BENCH_ONLY=start: the two start-ups and their breakdown alone (a minute
# or two, for trying a change to the start), written to bench-start.md.
ONLY = os.environ.get("AG_BENCH_ONLY", "")
ENV = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login",
           GSETTINGS_SCHEMA_DIR=os.path.join(BUILD, "data"), GSETTINGS_BACKEND="memory")
rows = []   # (figure, unit, samples or value, reference name, reference samples, goal text)


def log(msg):
    print(f"run-bench: {msg}", flush=True)


def stats(path, method="GET"):
    req = urllib.request.Request(ISSUER + path, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def clear_sessions():
    subprocess.run(["secret-tool", "clear", "kind", "session"], check=False)


def first_frame_ms(cmd, env, phases=None):
    """Milliseconds from the spawn to the first painted frame, and the page
    it showed. With @phases (a list), also the start's marks, each in ms
    since the spawn, and the shared libraries mapped by then."""
    t0 = time.monotonic_ns() // 1000
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60).stdout
    marks = {}
    for line in out.splitlines():
        if line.startswith("bench: mark "):
            usec, name = line[len("bench: mark "):].split(" ", 1)
            marks[name] = (int(usec) - t0) / 1000.0
        elif line.startswith("bench: libraries "):
            marks["libraries"] = int(line.split()[2])
        elif line.startswith("bench: first-frame-monotonic-us"):
            parts = line.split()
            marks["first frame"] = (int(parts[2]) - t0) / 1000.0
            if phases is not None:
                phases.append(marks)
            return marks["first frame"], parts[-1]
    raise RuntimeError(f"no first frame from {cmd[0]}: {out!r}")


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0  # MiB
    return 0.0


def descendants(pid):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(d))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def webkit_helpers(pid):
    names = []
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        if comm.startswith("WebKit"):
            names.append(comm)
    return names


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def core(*args):
    out = subprocess.run([CORE, *args], env=dict(os.environ, AG_SOURCE_ROOT=os.environ["AG_SOURCE_ROOT"]),
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout


def core_figure(line_name, out):
    for line in out.splitlines():
        if line.startswith(f"bench: {line_name}"):
            lo, med, hi = (float(x) for x in line.split()[2:5])
            return [lo, med, hi]
    raise RuntimeError(out)


# --- 1. Cold start to first frame, no stored session -----------------------
def cold_start():
    clear_sessions()
    app, base = [], []
    app_phases, base_phases, libs_phases = [], [], []
    for i in range(START_RUNS + 1):
        a, page = first_frame_ms([APP, "--bench-exit-after-first-frame"], ENV, app_phases if i else None)
        b, _ = first_frame_ms([BASELINE, "--bench-exit-after-first-frame"], ENV, base_phases if i else None)
        # The loader's floor for a program with the same libraries (not a goal).
        first_frame_ms([BASELINE_LIBS, "--bench-exit-after-first-frame"], ENV, libs_phases if i else None)
        if i > 0:   # the first pair warms the caches
            app.append(a)
            base.append(b)
    rows.append(("cold start to first frame", "ms", app, "baseline window", base, "≤ 1.05 × baseline"))
    return app_phases, base_phases, libs_phases


# --- 2. Start with a stored fresh session to Welcome ------------------------
def stored_start():
    out = core("sign-in", ISSUER, APP_ID)
    assert "persistent=1" in out, out
    exchange = [float(line.split()[2]) for line in out.splitlines() if line.startswith("bench: complete-sign-in-ms")]
    stats("/dev/stats", "POST")
    app, base = [], []
    app_phases = []
    # The baseline again, run for run: the machine's pace drifts over minutes.
    for i in range(START_RUNS + 1):
        t, page = first_frame_ms([APP, "--bench-exit-when-signed-in"], ENV, app_phases if i else None)
        assert page == "user", page
        b, _ = first_frame_ms([BASELINE, "--bench-exit-after-first-frame"], ENV)
        if i > 0:
            app.append(t)
            base.append(b)
    s = stats("/dev/stats")
    requests = sum(v for k, v in s.items() if isinstance(v, int))
    rows.append(("stored session to Welcome", "ms", app, "baseline window", base, "≤ 1.10 × baseline"))
    rows.append(("network requests at a stored-session start", "requests", [requests], None, None, "0"))
    clear_sessions()
    return exchange, app_phases


# --- 3-4, 6. Memory, helper processes, callback to Welcome, cycles ----------
def gui():
    import pyatspi  # noqa: E402 - only inside the session

    def find_app(pid):
        for a in pyatspi.Registry.getDesktop(0):
            try:
                if a is not None and a.get_process_id() == pid and a.childCount > 0:
                    return a
            except Exception:  # noqa: BLE001
                continue
        return None

    def find(pid, pred, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            a = find_app(pid)
            if a is not None:
                try:
                    hit = pyatspi.findDescendant(a, lambda x: x is not None and pred(x))
                except Exception:  # noqa: BLE001
                    hit = None
                if hit is not None:
                    return hit
            time.sleep(0.2)
        return None

    def press(pid, label):
        b = find(pid, lambda x: x.getRoleName() == "push button" and (x.name or "").replace("_", "") in
                 (label, f"{label} {label}"))
        assert b is not None, f"no {label}"
        b.queryAction().doAction(0)

    def shown(pid, text, timeout=30):
        return find(pid, lambda x: x.getRoleName() == "label" and x.name == text, timeout) is not None

    def type_keys(value, again=False):
        # As the GUI suite types: only the mapped window of that name (GTK
        # keeps unmapped ones, and focusing one is X's BadMatch), focus
        # waited for, no modifier left down; a retry first selects what the
        # field holds, as a person would.
        subprocess.run(["xdotool", "keyup", "Control_L", "Control_R", "Shift_L", "Shift_R"], check=False)
        subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Authgear Login$", "windowfocus", "--sync"],
                       check=False, timeout=10)
        if again:
            subprocess.run(["xdotool", "key", "ctrl+a"], check=False)
        subprocess.run(["xdotool", "type", "--clearmodifiers", "--delay", "20", value], check=True)
        subprocess.run(["xdotool", "key", "Return"], check=True)

    def outbox():
        with urllib.request.urlopen(ISSUER + "/dev/outbox", timeout=10) as r:
            return json.load(r)

    def sign_in(pid):
        assert shown(pid, "Welcome Guest")
        press(pid, "Login")
        assert find(pid, lambda x: x.getRoleName() == "label" and (x.name or "").startswith("127.0.0.1")) is not None
        time.sleep(1.0)
        before = len(outbox())
        for attempt in range(4):
            type_keys("alice@example.com", again=attempt > 0)
            deadline = time.time() + 6
            while len(outbox()) == before and time.time() < deadline:
                time.sleep(0.1)
            if len(outbox()) > before:
                break
        assert len(outbox()) > before, "the email page did not take the address"
        code = outbox()[-1]["code"]
        time.sleep(0.5)
        before_stats = stats("/dev/stats")
        for attempt in range(4):
            type_keys(code, again=attempt > 0)
            deadline = time.time() + 6
            while stats("/dev/stats")["code_submitted"] == before_stats["code_submitted"] and time.time() < deadline:
                time.sleep(0.1)
            if stats("/dev/stats")["code_submitted"] > before_stats["code_submitted"]:
                break
        if not shown(pid, "Welcome Alice Liddell!"):
            subprocess.run(["import", "-window", "root", os.path.join(OUT, "failure.png")], check=False)
            raise AssertionError("no Welcome (the screen is in failure.png)")
        after = stats("/dev/stats")
        return {k: after[k] - before_stats[k] for k in ("discovery", "jwks", "token", "userinfo")}

    clear_sessions()
    stderr_path = os.path.join(OUT, "app-stderr.log")
    err = open(stderr_path, "w")
    proc = subprocess.Popen([APP], env=dict(ENV, AG_BENCH="1"), stdout=subprocess.DEVNULL, stderr=err)
    base = subprocess.Popen([BASELINE], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert shown(proc.pid, "Welcome Guest")
        time.sleep(2)
        guest_peak = proc_status(proc.pid, "VmHWM")
        base_peak = proc_status(base.pid, "VmHWM")
        base_rss = proc_status(base.pid, "VmRSS")
        helpers_before = len(webkit_helpers(proc.pid))
        base.terminate()
        rows.append(("peak resident memory at the guest view", "MiB", [guest_peak], "baseline window", [base_peak],
                     "≤ 1.25 × baseline"))
        rows.append(("WebKit helper processes before Login", "processes", [helpers_before], None, None, "0"))

        callback_ms, painted_ms, requests, rss, heap, heap_free = [], [], [], {}, [], []
        helpers_after_sign_in = helpers_after_logout = None
        t_cycles = time.time()
        for cycle in range(1, CYCLES + 1):
            if cycle == 1 or cycle % 10 == 0:
                log(f"cycle {cycle}")
            requests.append(sign_in(proc.pid))
            time.sleep(0.3)
            if cycle == 1:
                helpers_after_sign_in = len(webkit_helpers(proc.pid))
            press(proc.pid, "Logout")
            assert shown(proc.pid, "Welcome Guest")
            time.sleep(0.5)
            if cycle == 1:
                helpers_after_logout = len(webkit_helpers(proc.pid))
                rss[1] = proc_status(proc.pid, "VmRSS")
            rss[cycle] = proc_status(proc.pid, "VmRSS")
        log(f"{CYCLES} Login/Logout cycles in {time.time() - t_cycles:.0f} s")
        err.flush()
        with open(stderr_path) as f:
            for line in f:
                if line.startswith("bench: callback-to-welcome-us"):
                    callback_ms.append(int(line.split()[2]) / 1000.0)
                elif line.startswith("bench: callback-to-welcome-painted-us"):
                    painted_ms.append(int(line.split()[2]) / 1000.0)
                elif line.startswith("bench: heap-in-use-bytes"):
                    heap.append(int(line.split()[2]) / 1048576.0)
                    heap_free.append(int(line.split()[4]) / 1048576.0)
        rows.append(("resident memory after Logout", "MiB", [rss[1]], "baseline window", [base_rss], "≤ 1.25 × baseline"))
        rows.append(("WebKit helper processes after the sign-in", "processes", [helpers_after_sign_in], None, None, "0"))
        rows.append(("WebKit helper processes after Logout", "processes", [helpers_after_logout], None, None, "0"))
        rows.append((f"resident memory after cycle {CYCLES} vs cycle 1", "MiB", [rss[CYCLES]], "after cycle 1", [rss[1]],
                     "growth < 2 %"))
        # What the heap holds on the guest page (the app's report at the start,
        # then after each Logout): memory still in use, against the resident
        # memory above, which also counts what was freed and not given back.
        if len(heap) > CYCLES:
            rows.append((f"heap in use after cycle {CYCLES} vs cycle 1 (malloc)", "MiB", [heap[CYCLES]],
                         "after cycle 1", [heap[1]], "—"))
            rows.append((f"heap freed but held by malloc after cycle {CYCLES} vs cycle 1", "MiB", [heap_free[CYCLES]],
                         "after cycle 1", [heap_free[1]], "—"))
        return callback_ms, painted_ms, requests
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if base.poll() is None:
            base.terminate()
        err.close()


# --- 4b. The Flask guide's app, timed from /callback to the home page --------
def flask_reference():
    import requests  # noqa: E402 - Debian's python3-requests (install-deps --with-bench)

    script = os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "bench", "flask-reference", "app.py")
    signin = os.path.join(os.environ["AG_SOURCE_ROOT"], "tests", "provider", "signin.mjs")
    env = dict(os.environ, AUTHGEAR_DOMAIN=ISSUER, AUTHGEAR_CLIENT_ID="authgear-login-confidential",
               AUTHGEAR_CLIENT_SECRET="dev-client-secret-change-me")
    app = subprocess.Popen(["/usr/bin/python3", script], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                requests.get("http://localhost:3000/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        for i in range(RUNS + 1):
            browser = requests.Session()
            r = browser.get("http://localhost:3000/login", allow_redirects=False, timeout=10)
            redirect = subprocess.run(["node", signin, r.headers["Location"]], capture_output=True, text=True,
                                      check=True).stdout.strip()
            t0 = time.perf_counter()
            r = browser.get(redirect, timeout=10)   # /callback, then the home page it redirects to
            t1 = time.perf_counter()
            assert "Welcome Alice Liddell!" in r.text, r.text[:200]
            if i > 0:
                times.append((t1 - t0) * 1000.0)
    finally:
        app.terminate()
        app.wait(timeout=10)
    return times


# --- 5. Idle CPU while signed in ---------------------------------------------
def idle_cpu():
    core("sign-in", ISSUER, APP_ID)
    proc = subprocess.Popen([APP], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        c0 = cpu_seconds(proc.pid)
        time.sleep(IDLE)
        used = (cpu_seconds(proc.pid) - c0) * 1000.0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        clear_sessions()
    rows.append((f"CPU time idle and signed in for {IDLE} s", "ms", [used], None, None, "no periodic wake-ups"))


def fmt(samples):
    if samples is None:
        return "—"
    if len(samples) == 1:
        return f"{samples[0]:.1f}"
    return f"{statistics.median(samples):.1f} ({min(samples):.1f}–{max(samples):.1f})"


def main():
    os.makedirs(OUT, exist_ok=True)
    log("cold start")
    cold_phases = cold_start()
    log("stored-session start")
    exchange, stored_phases = stored_start()
    log("where a start's CPU time goes (perf)")
    by_library = perf_by_library()
    if ONLY == "start":
        lines = start_rows() + ["", *start_breakdown(*cold_phases, stored_phases), "", *by_library]
        text = "\n".join(lines) + "\n"
        with open(os.path.join(OUT, "bench-start.md"), "w") as f:
            f.write(text)
        print(text)
        return
    log("where a sign-in's time goes (the core's trace)")
    traced = core("breakdown", ISSUER, APP_ID, str(RUNS))
    breakdown = phase_breakdown(traced)
    core_sign_in = core_figure("core-sign-in-ms", traced)
    log("the same requests made bare, refresh")
    bare = core("bare", ISSUER, str(RUNS))
    bare_sign_in = core_figure("bare-sign-in-ms", bare)
    bare_refresh = core_figure("bare-refresh-ms", bare)
    refresh = core_figure("refresh-ms", core("refresh", ISSUER, APP_ID, "10"))
    log(f"GUI: memory, helpers, callback to Welcome, {CYCLES} cycles")
    callback_ms, painted_ms, requests = gui()
    log("the Flask guide's app")
    flask = flask_reference()
    rows.append(("callback to Welcome", "ms", callback_ms, "the Flask guide's app, /callback to home (b)", flask,
                 "≤ 0.5 × (b)"))
    rows.append(("callback to Welcome", "ms", callback_ms, "the floor: its two requests made bare (a)",
                 bare_sign_in, "distance from the floor"))
    rows.append(("callback to Welcome painted (+ the toolkit's next frame)", "ms", painted_ms, None, None, "—"))
    per = requests[0] if requests else {}
    rows.append(("requests from the code to Welcome (cached discovery/JWKS)", "requests",
                 [float(sum(per.values()))], None, None, "token + 1 userinfo = 2"))
    rows.append(("the core's sign-in: code exchange, ID token check, userinfo", "ms", core_sign_in,
                 "the same two requests made bare (a)", bare_sign_in, "≤ 1.5 × (a)"))
    rows.append(("the core's first sign-in of a process (a new connection)", "ms", exchange, None, None, "—"))
    rows.append(("one refresh (request, ID token check, keyring write)", "ms", refresh,
                 "a bare refresh request and keyring write", bare_refresh, "≤ 1.5 × bare"))
    log(f"idle CPU for {IDLE} s")
    idle_cpu()

    lines = [f"Measured {datetime.date.today()} on {platform.node()} ({os.cpu_count()} cores, "
             f"{platform.platform()}), {START_RUNS} runs of each start-up and {RUNS} of the rest, after a "
             "warm-up; median (min–max).", "",
             "| figure | unit | Authgear Login | reference | reference value | ratio | goal |",
             "|---|---|---|---|---|---|---|"]
    chart = []
    for name, unit, samples, ref_name, ref, goal in rows:
        ratio = "—"
        if ref and samples and statistics.median(ref) > 0:
            r = statistics.median(samples) / statistics.median(ref)
            ratio = f"{r:.2f}"
            shared = sum(1 for row in rows if row[0] == name) > 1
            label = f"{name} (vs {re.split('[,:]', ref_name)[0]})" if shared else name
            chart.append((label, r, goal_limit(goal)))
        lines.append(f"| {name} | {unit} | {fmt(samples)} | {ref_name or '—'} | {fmt(ref)} | {ratio} | {goal} |")
    if requests:
        lines += ["", f"Requests per sign-in, code to Welcome (first cycle): {json.dumps(requests[0])}."]
    lines += ["", *start_breakdown(*cold_phases, stored_phases), "", *by_library, "", *breakdown]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "bench.md"), "w") as f:
        f.write(text)
    print(text)
    write_chart(chart)


START_PHASES = [
    ("main", "process start to main (fork and exec, the dynamic loader, library constructors)"),
    ("toolkit ready", "GTK and libadwaita initialised (the display connection, settings, theme)"),
    ("client made", "the program's own start: settings, configuration, the client (its keyring read begins on a thread)"),
    ("window built", "the window built from its template and presented (realized, its surface made)"),
    ("first frame", "window built to first frame painted (style, layout, drawing)"),
]


PERF_HZ = 4000


def perf_by_library(runs=10):
    """The start's trace by shared object: perf samples every process of
    @runs cold starts of the app and of the baseline window (every thread,
    at PERF_HZ), and the table gives each one's CPU time per start, the
    largest differences first."""
    if shutil.which("perf") is None:
        return ["(perf is not installed: no trace of the start by library.)"]
    per = {}
    for name, exe in (("app", APP), ("base", BASELINE)):
        data = os.path.join(OUT, f"perf-{name}.data")
        loop = "; ".join([f"{shlex.quote(exe)} --bench-exit-after-first-frame >/dev/null"] * runs)
        subprocess.run(["perf", "record", "-q", "-F", str(PERF_HZ), "-o", data, "--", "sh", "-c", loop],
                       env=ENV, check=True, capture_output=True)
        report = subprocess.run(["perf", "report", "-i", data, "--sort", "dso", "-n", "--stdio"],
                                capture_output=True, text=True, check=True).stdout
        counts = {}
        for line in report.splitlines():
            parts = line.split()
            if line.startswith("#") or len(parts) < 3 or not parts[1].isdigit():
                continue
            # llvmpipe compiles the shaders it draws with: each thread's code is its own "[JIT] tid N".
            dso = "[JIT] llvmpipe's compiled shaders" if parts[2] == "[JIT]" else parts[2]
            counts[dso] = counts.get(dso, 0) + int(parts[1])
        os.unlink(data)
        per[name] = {dso: n * 1000.0 / PERF_HZ / runs for dso, n in counts.items()}
    app, base = per["app"], per["base"]
    names = sorted(set(app) | set(base), key=lambda d: -abs(app.get(d, 0) - base.get(d, 0)))
    lines = [f"Where a cold start's CPU time goes, by library: perf sampling {runs} starts of each at {PERF_HZ} Hz "
             "(every thread of the process, to its first frame and exit); ms per start, the largest differences.", "",
             "| library | Authgear Login ms | baseline window ms | difference ms |", "|---|---|---|---|"]
    for dso in names[:12]:
        a, b = app.get(dso, 0.0), base.get(dso, 0.0)
        lines.append(f"| {dso} | {a:.1f} | {b:.1f} | {a - b:+.1f} |")
    a, b = sum(app.values()), sum(base.values())
    lines.append(f"| **all** | **{a:.1f}** | **{b:.1f}** | **{a - b:+.1f}** |")
    return lines


def start_rows():
    """The rows measured so far, as the table's lines, for AG_BENCH_ONLY=start."""
    lines = ["| figure | Authgear Login | reference | ratio |", "|---|---|---|---|"]
    for name, unit, samples, ref_name, ref, goal in rows:
        if ref:
            ratio = statistics.median(samples) / statistics.median(ref)
            lines.append(f"| {name} | {fmt(samples)} {unit} | {fmt(ref)} | {ratio:.2f} ({goal}) |")
    return lines


def start_breakdown(app_runs, base_runs, libs_runs, stored_runs):
    """The start's phases, each the median of the time since the mark
    before, for the app and the baseline window measured in the same runs;
    then when a stored session was known, against the first frame."""
    def phase(runs, name, before):
        return statistics.median(r[name] - (r[before] if before else 0) for r in runs)

    lines = ["Where a start's time goes: each phase's median, the time since the mark before, for "
             f"{len(app_runs)} starts of each, alternated.", "",
             "| phase | Authgear Login ms | baseline window ms | difference ms |", "|---|---|---|---|"]
    before = None
    for name, words in START_PHASES:
        # The baseline has no settings or client: its window follows the toolkit.
        a = phase(app_runs, name, before)
        b = phase(base_runs, name, before) if name in base_runs[0] else 0.0
        lines.append(f"| {words} | {a:.1f} | {b:.1f} | {a - b:+.1f} |")
        before = name if name in base_runs[0] else before
    a, b = (statistics.median(r["first frame"] for r in runs) for runs in (app_runs, base_runs))
    lines.append(f"| **to the first frame** | **{a:.1f}** | **{b:.1f}** | **{a - b:+.1f}** |")
    libs = [statistics.median(r.get("libraries", 0) for r in runs) for runs in (app_runs, base_runs)]
    lines += ["", f"Shared libraries mapped at the first frame: {libs[0]:.0f} for the app, {libs[1]:.0f} for "
              "the baseline window."]
    if libs_runs:
        floor = statistics.median(r["main"] for r in libs_runs)
        count = statistics.median(r.get("libraries", 0) for r in libs_runs)
        lines += [f"The same window linked with libsoup, libsecret, json-glib and GnuTLS (bench-baseline-libs, "
                  f"{count:.0f} libraries, alternated with the two above): process start to main "
                  f"{floor:.1f} ms, against the app's {statistics.median(r['main'] for r in app_runs):.1f} ms and "
                  f"the bare window's {statistics.median(r['main'] for r in base_runs):.1f} ms: the loader's "
                  "share that any program doing OIDC with the keyring pays."]
    if stored_runs:
        known = statistics.median(r["session known"] - r["main"] for r in stored_runs if "session known" in r)
        frame = statistics.median(r["first frame"] - r["main"] for r in stored_runs)
        lines += [f"With a stored session, the keyring's answer (D-Bus, Secret Service, parse) was in the window "
                  f"{known:.1f} ms after main, and the first frame showing Welcome {frame:.1f} ms after main."]
    return lines


def phase_breakdown(out):
    """The core's trace of a sign-in, from the redirect read to the keyring
    write, as a table: each step's median time since the step before, the
    provider's own time (its Server-Timing) apart from the wire's."""
    phases = []
    for line in out.splitlines():
        if line.startswith("bench: phase "):
            ms, name = line[len("bench: phase "):].split(" ", 1)
            phases.append((name, float(ms)))
    provider = sum(ms for name, ms in phases if "provider's own" in name)
    wire = sum(ms for name, ms in phases if "the wire" in name)
    keyring = sum(ms for name, ms in phases if name == "kept in the keyring")
    ours = sum(ms for _, ms in phases) - provider - wire - keyring
    lines = ["Where a sign-in's time goes: the core's trace (`AG_TRACE`, `bench-core breakdown`), from the "
             f"redirect read to the keyring write, median of {RUNS} sign-ins; each step is the time since the "
             "one before.", "",
             "| step | ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.3f} |" for name, ms in phases]
    lines += ["", f"In sum: the provider's own time {provider:.1f} ms, the wire and libsoup {wire:.1f} ms, "
              f"the core's own steps {ours:.1f} ms; then the keyring write, {keyring:.1f} ms, behind Welcome."]
    return lines


def goal_limit(goal):
    """The highest ratio a goal allows ("≤ 1.15 × baseline", "growth < 2 %"), or None."""
    m = re.match(r"≤ ([0-9.]+) ×", goal)
    if m:
        return float(m.group(1))
    m = re.match(r"growth < ([0-9.]+) %", goal)
    if m:
        return 1 + float(m.group(1)) / 100
    return None


def write_chart(chart):
    """A bar chart of the ratios (1.0 = the reference), SVG turned into PNG."""
    w, row_h, left = 900, 34, 430
    h = 60 + row_h * len(chart)
    scale = (w - left - 40) / max([2.0] + [r for _, r, _ in chart])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}">',
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="20" y="30" font-family="sans-serif" font-size="18">Authgear Login / reference '
             '(1.0 = equal; blue: goal met, orange: missed, grey: no goal)</text>']
    x1 = left + scale
    parts.append(f'<line x1="{x1}" y1="45" x2="{x1}" y2="{h - 10}" stroke="#888" stroke-dasharray="4"/>')
    for i, (name, r, limit) in enumerate(chart):
        y = 50 + i * row_h
        color = "#9a9996" if limit is None else "#3584e4" if r <= limit else "#e66100"
        parts.append(f'<text x="20" y="{y + 20}" font-family="sans-serif" font-size="13">{name}</text>')
        parts.append(f'<rect x="{left}" y="{y + 6}" width="{max(1, r * scale):.0f}" height="20" fill="{color}"/>')
        parts.append(f'<text x="{left + r * scale + 6:.0f}" y="{y + 21}" font-family="sans-serif" font-size="13">{r:.2f}</text>')
    parts.append("</svg>")
    svg = os.path.join(OUT, "bench.svg")
    with open(svg, "w") as f:
        f.write("\n".join(parts))
    # librsvg's own converter: ImageMagick's SVG delegate on Debian 12 reads
    # a temporary file it never wrote, and no PNG came out.
    subprocess.run(["rsvg-convert", "-o", os.path.join(OUT, "bench.png"), svg], check=True)


main()
