# SPDX-License-Identifier: GPL-3.0-or-later
"""Authgear's "Python Flask App" guide, written out as the guide describes it,
as the benchmark's reference (b): Flask + Authlib (Debian's python3-flask and
python3-authlib), the same provider and scope as Authgear Login. Not part of
the product.

    AUTHGEAR_DOMAIN=... AUTHGEAR_CLIENT_ID=... AUTHGEAR_CLIENT_SECRET=... \\
        /usr/bin/python3 app.py      # serves http://localhost:3000
"""
import os
import secrets

from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, session, url_for

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)

oauth = OAuth(app)
oauth.register(
    "authgear",
    client_id=os.environ["AUTHGEAR_CLIENT_ID"],
    client_secret=os.environ["AUTHGEAR_CLIENT_SECRET"],
    server_metadata_url=f'{os.environ["AUTHGEAR_DOMAIN"]}/.well-known/openid-configuration',
    client_kwargs={"scope": "openid offline_access"},
)


@app.route("/")
def home():
    user = session.get("user")
    if user is None:
        return '<h1>Welcome Guest</h1><a href="/login">Login</a>'
    name = user.get("name") or user.get("email") or user.get("sub")
    return f'<h1>Welcome {name}!</h1><a href="/logout">Logout</a>'


@app.route("/login")
def login():
    return oauth.authgear.authorize_redirect(url_for("callback", _external=True))


@app.route("/callback")
def callback():
    token = oauth.authgear.authorize_access_token()
    session["user"] = oauth.authgear.userinfo(token=token)
    session["token"] = {k: token[k] for k in ("access_token", "refresh_token", "expires_at") if k in token}
    return redirect("/")


@app.route("/logout")
def logout():
    session.clear()
    return redirect("/")


if __name__ == "__main__":
    app.run(host="localhost", port=3000)
