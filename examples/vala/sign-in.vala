// SPDX-License-Identifier: GPL-3.0-or-later
// authgear-glib from Vala: sign in through the system browser, greet,
// refresh the access token if needed, log out.
//
//   AUTHGEAR_ENDPOINT=https://myapp.authgear.cloud AUTHGEAR_CLIENT_ID=… ./sign-in-vala

async int sign_in (string endpoint, string client_id) {
    var client = new Authgear.Client (endpoint, client_id);
    try {
        yield client.configure (null);
        print ("Sign in in your browser...\n");
        var info = yield client.authenticate (null, null);
        print ("Welcome %s!\n%s\n", info.get_display_name (), info.to_json ());
        yield client.refresh_access_token_if_needed (null);
        print ("The access token is fresh\n");
        yield client.logout (null);
        print ("Logged out\n");
    } catch (Authgear.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    } catch (GLib.Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    return 0;
}

int main () {
    var endpoint = Environment.get_variable ("AUTHGEAR_ENDPOINT");
    var client_id = Environment.get_variable ("AUTHGEAR_CLIENT_ID");
    if (endpoint == null || client_id == null) {
        printerr ("Set AUTHGEAR_ENDPOINT and AUTHGEAR_CLIENT_ID\n");
        return 2;
    }
    var loop = new MainLoop ();
    int status = 1;
    sign_in.begin (endpoint, client_id, (obj, res) => {
        status = sign_in.end (res);
        loop.quit ();
    });
    loop.run ();
    return status;
}
