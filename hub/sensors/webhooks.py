# SPDX-License-Identifier: EUPL-1.2
"""LoRaWAN network servers push uplinks here, one URL per tenant and network:

    POST /api/v1/t/<slug>/sensoren/webhooks/tts                (The Things Stack v3 webhook)
    POST /api/v1/t/<slug>/sensoren/webhooks/chirpstack?event=up (ChirpStack v4/v3 HTTP)

The tenant's secret comes in the header `X-Hub-Webhook-Secret` (both servers send configured
headers); only its SHA-256 is stored. `new_secret()` makes one (`hub sensors webhook-secret`,
or a tenant admin through the API): shown once, and the old one stops working at once. A
payload that cannot be mapped is answered 4xx with the reason and kept in the dead-letter
table; a device of another tenant is an unknown device. The networks are the connectors of kind
"lorawan" (connectors/base.py); errors are answered as JSON `{"error": {code, message}}`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from connectors import base as connectors
from connectors.base import PayloadInvalid
from hub.core import access, guard
from hub.core.errors import (
    Invalid,
    MethodNotAllowed,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unprocessable,
)
from hub.sensors import ingest
from hub.sensors.models import SensorNetwork
from hub.tenancy.context import tenant_context

HEADER = "HTTP_X_HUB_WEBHOOK_SECRET"
# ChirpStack posts every event to the same URL; only uplinks carry observations.
CHIRPSTACK_OTHER_EVENTS = {"join", "status", "ack", "txack", "log", "location", "integration"}
_resolver = ingest.Resolver()


def new_secret(tenant) -> str:
    """A new webhook secret for the tenant's sensor network (made if missing); returns it.

    Call in the tenant's context (or the system's)."""
    secret = secrets.token_urlsafe(32)
    SensorNetwork.objects.update_or_create(
        tenant=tenant,
        defaults={"webhook_secret_sha256": hashlib.sha256(secret.encode()).hexdigest()},
    )
    return secret


@cache
def networks() -> dict[str, connectors.Connector]:
    """The LoRaWAN network servers the hub takes uplinks from, by name."""
    return {name: made() for name, made in connectors.of_kind("lorawan").items()}


def _authorised(request, tenant) -> bool:
    given = request.META.get(HEADER, "")
    with tenant_context([tenant.pk]):
        network = SensorNetwork.objects.filter(tenant=tenant).first()
    if network is None or not given:
        return False
    digest = hashlib.sha256(given.encode()).hexdigest()
    return hmac.compare_digest(digest, network.webhook_secret_sha256)


def _keep(request, tenant, reason: str, body: bytes) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        ingest.dead_letter(
            cursor,
            channel=f"webhook:{request.resolver_match.kwargs['network']}",
            topic=request.path,
            reason=reason,
            payload=body,
            tenant_id=tenant.pk,
        )


@access.declare(None, access.HOLDER)
@csrf_exempt
def uplink(request, slug: str, network: str):
    tenant = request.tenant
    if request.method != "POST":
        raise MethodNotAllowed("networks POST their uplinks here", headers={"Allow": "POST"})
    known = networks()
    if network not in known:
        raise NotFound(f"unknown network {network!r}; known: {', '.join(sorted(known))}")
    if not _authorised(request, tenant):
        raise Unauthenticated("wrong or missing X-Hub-Webhook-Secret for this tenant")
    if network == "chirpstack":
        event = request.GET.get("event", "")
        if event in CHIRPSTACK_OTHER_EVENTS:
            return HttpResponse(status=204)  # not an uplink: nothing to store
        if event != "up":
            raise Invalid(
                "ChirpStack's ?event= is missing or unknown (up, join, status …)", field="event"
            )
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > ingest.MAX_PAYLOAD:
        body = request.read(ingest.MAX_DEAD_LETTER)
        _keep(request, tenant, f"payload of {length} bytes, at most {ingest.MAX_PAYLOAD}", body)
        raise TooLarge(f"payload of {length} bytes; at most {ingest.MAX_PAYLOAD}")
    body = request.body
    try:
        doc = guard.load_json(body, what="the payload")
    except Invalid as exc:
        _keep(request, tenant, exc.message, body)
        raise
    try:
        rows = _resolver.rows(known[network].read(doc), tenant_id=tenant.pk)
    except PayloadInvalid as exc:
        _keep(request, tenant, str(exc), body)
        raise Unprocessable(str(exc), code=exc.code) from None
    with transaction.atomic(), tenant_context([tenant.pk]), connection.cursor() as cursor:
        stored = ingest.write(cursor.cursor, rows)
    return JsonResponse({"observations": len(rows), "new": stored}, status=202)
