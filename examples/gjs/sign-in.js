#!/usr/bin/env -S gjs -m
// SPDX-License-Identifier: GPL-3.0-or-later
// authgear-glib from JavaScript (GJS): sign in through the system browser,
// greet, refresh the access token if needed, log out.
//
//   AUTHGEAR_ENDPOINT=https://myapp.authgear.cloud AUTHGEAR_CLIENT_ID=… gjs -m sign-in.js
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Authgear from 'gi://Authgear?version=1.0';
import System from 'system';

// Each _async/_finish pair as a method that returns a Promise.
for (const name of ['configure', 'authenticate', 'refresh_access_token_if_needed', 'logout'])
    Gio._promisify(Authgear.Client.prototype, `${name}_async`, `${name}_finish`);

async function signIn(endpoint, clientId) {
    const client = new Authgear.Client({endpoint, client_id: clientId});
    try {
        await client.configure_async(null);
        print('Sign in in your browser...');
        const info = await client.authenticate_async(null, null);
        print(`Welcome ${info.get_display_name()}!`);
        print(info.to_json());
        await client.refresh_access_token_if_needed_async(null);
        print('The access token is fresh');
        await client.logout_async(null);
        print('Logged out');
    } catch (e) {
        printerr(e.message);
        return 1;
    }
    return 0;
}

const endpoint = GLib.getenv('AUTHGEAR_ENDPOINT');
const clientId = GLib.getenv('AUTHGEAR_CLIENT_ID');
if (!endpoint || !clientId) {
    printerr('Set AUTHGEAR_ENDPOINT and AUTHGEAR_CLIENT_ID');
    System.exit(2);
}
const loop = new GLib.MainLoop(null, false);
let status = 1;
signIn(endpoint, clientId).then(s => {
    status = s;
    loop.quit();
});
loop.run();
System.exit(status);
