#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-ins for the parts of a GNOME desktop the GUI suite needs beside the
compositor, each a process of its own on the test session's bus:

  desktop-helper.py notifications FILE
      GNOME Shell's notification service: owns org.gtk.Notifications (the
      one GApplication uses when it is there, as it is under GNOME) and
      writes each AddNotification and RemoveNotification to FILE, one JSON
      object a line. It shows nothing: the test reads FILE, and activates a
      notification as the shell does, through the app's
      org.freedesktop.Application.ActivateAction.

  desktop-helper.py window TITLE
      Another program's window (the browser the person went to), which
      takes the focus when it opens. A line "token" on its standard input
      makes it ask the compositor for an xdg-activation token, as the shell
      does for a notification the person clicks, and print it."""
import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

NOTIFICATIONS_XML = """
<node>
  <interface name="org.gtk.Notifications">
    <method name="AddNotification">
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="a{sv}" direction="in"/>
    </method>
    <method name="RemoveNotification">
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
    </method>
  </interface>
</node>
"""


def notifications(path):
    loop = GLib.MainLoop()
    out = open(path, "a", buffering=1)
    info = Gio.DBusNodeInfo.new_for_xml(NOTIFICATIONS_XML).interfaces[0]

    def method_call(_conn, _sender, _path, _iface, method, params, invocation):
        args = params.unpack()
        note = {"call": method, "app": args[0], "id": args[1]}
        if method == "AddNotification":
            fields = args[2]
            note.update({"title": fields.get("title"), "body": fields.get("body"),
                         "default-action": fields.get("default-action"),
                         "priority": fields.get("priority")})
        out.write(json.dumps(note) + "\n")
        invocation.return_value(None)

    def bus_acquired(conn, _name):
        conn.register_object("/org/gtk/Notifications", info, method_call, None, None)

    def name_acquired(_conn, _name):
        print("ready", flush=True)

    Gio.bus_own_name(Gio.BusType.SESSION, "org.gtk.Notifications", Gio.BusNameOwnerFlags.NONE,
                     bus_acquired, name_acquired, lambda *_: loop.quit())
    loop.run()


def window(title):
    gi.require_version("Gtk", "4.0")
    from gi.repository import Gtk

    app = Gtk.Application(application_id="io.github.authgearlogin.TestBrowser",
                          flags=Gio.ApplicationFlags.NON_UNIQUE)

    def read_line(stream, result, win):
        line = stream.read_line_finish_utf8(result)[0]
        if line is None:
            app.quit()
            return
        if line.strip() == "token":
            context = win.get_display().get_app_launch_context()
            target = Gio.AppInfo.create_from_commandline("true", "Authgear Login", Gio.AppInfoCreateFlags.NONE)
            token = context.get_startup_notify_id(target, [])
            print(f"token {token or ''}", flush=True)
        stream.read_line_async(GLib.PRIORITY_DEFAULT, None, read_line, win)

    def activate(_app):
        win = Gtk.ApplicationWindow(application=app, title=title, default_width=640, default_height=480)
        win.set_child(Gtk.Label(label=title))
        win.connect("notify::is-active",
                    lambda w, _p: print(f"active {int(w.is_active())}", flush=True))
        win.present()
        stdin = Gio.DataInputStream.new(Gio.UnixInputStream.new(0, False))
        stdin.read_line_async(GLib.PRIORITY_DEFAULT, None, read_line, win)
        print("shown", flush=True)

    app.connect("activate", activate)
    app.run([])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "notifications":
        notifications(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "window":
        window(sys.argv[2])
    else:
        sys.exit(__doc__)
