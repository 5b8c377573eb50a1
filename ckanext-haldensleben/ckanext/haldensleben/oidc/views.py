# SPDX-License-Identifier: EUPL-1.2
"""Sign-in routes: /user/oidc/login sends to Keycloak, /user/oidc/callback comes back."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from functools import cache
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
import requests
from flask import Blueprint, session

from ckanext.haldensleben.oidc.members import sync_organizations, user_for
from identity.tokens import TokenInvalid, TokenVerifier, VerifierConfig

log = logging.getLogger(__name__)
oidc = Blueprint("haldensleben_oidc", __name__)


def _conf(key: str) -> str:
    return tk.config.get(f"ckanext.haldensleben.oidc.{key}")


def _endpoint(name: str) -> str:
    return f"{_conf('issuer').rstrip('/')}/protocol/openid-connect/{name}"


def _redirect_uri() -> str:
    return f"{tk.config.get('ckan.site_url').rstrip('/')}/user/oidc/callback"


@cache
def _verifier(issuer: str, client_id: str) -> TokenVerifier:
    # ID tokens are meant for CKAN's client; the JWKS cache is per process, as in the hub.
    return TokenVerifier(
        VerifierConfig(
            issuer=issuer, audience=client_id, jwks_url=f"{issuer}/protocol/openid-connect/certs"
        )
    )


@oidc.route("/user/oidc/login")
def login():
    verifier_code = secrets.token_urlsafe(64)
    session["oidc"] = {
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": verifier_code,
        "came_from": _local(tk.request.args.get("came_from", "")),
    }
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier_code.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    params = {
        "response_type": "code",
        "client_id": _conf("client_id"),
        "redirect_uri": _redirect_uri(),
        "scope": "openid email profile organization",
        "state": session["oidc"]["state"],
        "nonce": session["oidc"]["nonce"],
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return tk.redirect_to(f"{_endpoint('auth')}?{urlencode(params)}")


def _local(target: str) -> str:
    """Only a path of this CKAN may follow the sign-in (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and tk.h.url_is_local(target):
        return target
    return "/dashboard/datasets"


def _refuse(reason: str):
    log.warning("OIDC sign-in refused: %s", reason)
    tk.h.flash_error(tk._("Die Anmeldung ist fehlgeschlagen: %s") % reason)
    return tk.redirect_to("home.index")


@oidc.route("/user/oidc/callback")
def callback():
    pending = session.pop("oidc", None)
    args = tk.request.args
    if not pending or not args.get("state") or args["state"] != pending["state"]:
        return _refuse("the sign-in was not started here (state does not match)")
    if args.get("error"):
        return _refuse(args.get("error_description") or args["error"])
    response = requests.post(
        _endpoint("token"),
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": args.get("code", ""),
            "redirect_uri": _redirect_uri(),
            "client_id": _conf("client_id"),
            "client_secret": _conf("client_secret"),
            "code_verifier": pending["verifier"],
        },
    )
    if response.status_code != 200:
        return _refuse(f"Keycloak did not issue tokens ({response.status_code})")
    tokens = response.json()
    try:
        claims = _verifier(_conf("issuer").rstrip("/"), _conf("client_id")).verify(
            tokens["id_token"]
        )
    except (TokenInvalid, KeyError) as exc:
        return _refuse(getattr(exc, "reason", "no ID token"))
    if claims.get("nonce") != pending["nonce"]:
        return _refuse("the ID token belongs to another sign-in (nonce)")
    user = user_for(claims)
    sync_organizations(user, claims, prefix=_conf("org_prefix") or "")
    session["oidc_id_token"] = tokens["id_token"]
    tk.login_user(user)
    return tk.redirect_to(pending["came_from"])


def end_session_url() -> str:
    params = {
        "client_id": _conf("client_id"),
        "post_logout_redirect_uri": f"{tk.config.get('ckan.site_url').rstrip('/')}/",
    }
    id_token = session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{_endpoint('logout')}?{urlencode(params)}"
