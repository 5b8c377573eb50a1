# SPDX-License-Identifier: EUPL-1.2
"""The hub as an OCPI 2.2.1 Locations receiver (role OTHER: it publishes, it does not sell
charging), for the operators of the region:

    GET  /ocpi/versions                    the versions (2.2.1)
    GET  /ocpi/2.2.1                       its endpoints: credentials, locations (RECEIVER)
    GET|POST|PUT|DELETE /ocpi/2.2.1/credentials
    GET|PUT|PATCH /ocpi/2.2.1/locations/{country_code}/{party_id}/{location_id}
                  [/{evse_uid}[/{connector_id}]]

Staff invite an operator (`hub charging invite`): it gets a registration token (A) and this
versions URL, registers with its own token (B), and pushes with the token the hub answers (C).
Answers are OCPI's envelope (data, status_code, status_message, timestamp); errors too, with
the HTTP status the specification names (401 wrong token, 404 unknown object or another
operator's, 405 registering twice, 400 invalid JSON or object, 413 too large).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from connectors import ocpi
from connectors.base import PayloadInvalid
from hub.charging import services
from hub.charging.models import Evse, Location
from hub.core import access
from hub.core.errors import (
    Conflict,
    HubError,
    Invalid,
    NotFound,
    TooLarge,
    Unauthenticated,
)
from hub.tenancy.context import tenant_context

MAX_BODY = 1 * 2**20  # a Location with a hundred EVSEs is some 100 KiB
OCPI_CODES = {
    "not_found": 2003,
    "too_large": 2000,
    "unauthenticated": 2000,
    "method_not_allowed": 2000,
    "conflict": 2000,
    "3001": 3001,
    "3002": 3002,
}


def _stamp() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def _ids(request: HttpRequest) -> dict[str, str]:
    return {
        "X-Request-ID": request.headers.get("X-Request-ID", "")[:100] or str(uuid.uuid4()),
        "X-Correlation-ID": request.headers.get("X-Correlation-ID", "")[:100] or str(uuid.uuid4()),
    }


def envelope(
    request: HttpRequest,
    data: Any = None,
    *,
    status: int = 200,
    code: int = 1000,
    message: str = "Success",
) -> JsonResponse:
    body: dict[str, Any] = {"status_code": code, "status_message": message, "timestamp": _stamp()}
    if data is not None:
        body = {"data": data, **body}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in _ids(request).items():
        response[name] = value
    return response


def render_error(request: HttpRequest, exc: HubError) -> JsonResponse:
    """A HubError as OCPI answers it: the envelope with a 2xxx/3xxx code and the message."""
    code = OCPI_CODES.get(exc.code, 2001 if exc.status == 400 else 2000)
    status = exc.status
    if exc.code == "conflict":
        status = 405  # credentials: POST when registered, PUT/DELETE when not
    response = envelope(request, status=status, code=code, message=exc.message)
    for name, value in exc.headers.items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="ocpi"'
    return response


def _caller(request: HttpRequest, *, registering: bool = False) -> tuple[Any, str]:
    header = request.headers.get("Authorization", "")
    found = services.party_for(ocpi.token_of(header))
    if found is None:
        raise Unauthenticated("missing or unknown token (Authorization: Token <base64 token>)")
    party, which = found
    if which == "A" and not registering:
        raise Unauthenticated("the registration token is for versions and credentials only")
    return party, which


def _body(request: HttpRequest) -> Any:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise TooLarge(f"a body of {length:,} bytes; at most {MAX_BODY:,}")
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise TooLarge(f"a body of more than {MAX_BODY:,} bytes")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"the body is not JSON: {str(exc)[:120]}") from None


def _versions_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ocpi:versions"))


@access.declare(access.HOLDER, None)
@csrf_exempt
def versions(request: HttpRequest):
    _caller(request, registering=True)
    url = request.build_absolute_uri(reverse("ocpi:details"))
    return envelope(request, [{"version": ocpi.VERSION, "url": url}])


@access.declare(access.HOLDER, None)
@csrf_exempt
def details(request: HttpRequest):
    _caller(request, registering=True)
    base = request.build_absolute_uri(reverse("ocpi:details"))
    return envelope(
        request,
        {
            "version": ocpi.VERSION,
            "endpoints": [
                {"identifier": "credentials", "role": "SENDER", "url": f"{base}/credentials"},
                {"identifier": "locations", "role": "RECEIVER", "url": f"{base}/locations"},
            ],
        },
    )


def _ours(request: HttpRequest, token: str) -> dict:
    return {
        "token": token,
        "url": _versions_url(request),
        "roles": [
            {
                "role": "OTHER",
                "country_code": "DE",
                "party_id": "RDH",
                "business_details": {"name": "Regionaler Datenhub Haldensleben-Börde"},
            }
        ],
    }


@access.declare(access.HOLDER, access.HOLDER, write_methods=("POST", "PUT", "DELETE"))
@csrf_exempt
def credentials(request: HttpRequest):
    method = request.method  # the declaration admits GET, POST, PUT and DELETE only
    party, _which = _caller(request, registering=True)
    registered = party.registered_at is not None
    if method in ("GET", "HEAD"):
        if not registered:
            raise Conflict("not registered yet: POST your credentials first")
        # Our token towards them is C; only its digest is kept, so GET shows the URL and
        # roles and tells them to keep the token they were given.
        return envelope(request, {**_ours(request, "(as answered at registration)")})
    if method == "DELETE":
        if not registered:
            raise Conflict("not registered")
        services.unregister(party)
        return envelope(request)
    if method == "POST" and registered:
        raise Conflict("registered already: PUT to update the credentials")
    if method == "PUT" and not registered:
        raise Conflict("not registered yet: POST your credentials first")
    try:
        given = ocpi.read_credentials(_body(request))
    except PayloadInvalid as exc:
        raise Invalid(str(exc)) from None
    token_c = services.register(party, given, update=method == "PUT")
    return envelope(request, _ours(request, token_c))


def _object(location: Location, evse_uid: str, connector_id: str) -> dict:
    if not evse_uid:
        evses = [e.data for e in location.evses.filter(present=True).order_by("uid")]
        return {**location.data, "evses": evses}
    evse = Evse.objects.filter(location=location, uid__iexact=evse_uid).first()
    if evse is None:
        raise NotFound(f"unknown EVSE {evse_uid!r}")
    if not connector_id:
        return evse.data
    for connector in evse.data["connectors"]:
        if connector["id"].upper() == connector_id.upper():
            return connector
    raise NotFound(f"unknown Connector {connector_id!r}")


@access.declare(access.HOLDER, access.HOLDER, write_methods=("PUT", "PATCH"))
@csrf_exempt
def locations(
    request: HttpRequest,
    *,
    country_code: str,
    party_id: str,
    location_id: str,
    evse_uid: str = "",
    connector_id: str = "",
):
    method = request.method  # GET, PUT, PATCH (no POST, no DELETE: status REMOVED)
    party, _ = _caller(request)
    for value, n in (
        (country_code, 2),
        (party_id, 3),
        (location_id, 36),
        (evse_uid, 36),
        (connector_id, 36),
    ):
        if len(value) > n:
            raise Invalid(f"{value[:40]!r}: at most {n} characters")
    target = services.Target(party, country_code, party_id, location_id, evse_uid, connector_id)
    with tenant_context([party.tenant_id]):
        if method in ("GET", "HEAD"):
            target.check_owner()
            location = target.location(lock=False)
            if location is None:
                raise NotFound(f"unknown Location {location_id!r}")
            return envelope(request, _object(location, evse_uid, connector_id))
        body = _body(request)
        push = {
            "location": services.put_location,
            "evse": services.put_evse,
            "connector": services.put_connector,
        }[target.kind]
        try:
            outcome = services.patch(target, body) if method == "PATCH" else push(target, body)
        except PayloadInvalid as exc:
            raise Invalid(str(exc)) from None
    if outcome == "stale":
        return envelope(request, message="Accepted, not applied: older than the stored object")
    return envelope(request, status=201 if outcome == "created" else 200)
