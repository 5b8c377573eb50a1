# SPDX-License-Identifier: EUPL-1.2
"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2), JSON and XML.

`jurisdiction_id` is a tenant's slug. Only reviewed reports are public; the reporter's name and
contact never leave the hub. The internal lifecycle maps onto open/closed, with `status_notes`.
Extensions: `bbox=minlon,minlat,maxlon,maxlat` on GET requests, `token` beside the id on POST.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from hub.accounts import ratelimit
from hub.accounts.models import ApiClient
from hub.core import access, guard
from hub.core.access import HOLDER, Access, public
from hub.core.errors import Forbidden, Invalid, NotFound, TooLarge
from hub.geo.addresses import resolve as resolve_address
from hub.opendata.selectors import stops as bus_stops
from hub.participation import services
from hub.participation.models import OPEN, PUBLIC, Category, Report, ReportPhoto, Status
from hub.participation.open311.errors import endpoint
from hub.participation.open311.formats import document, iso, respond
from hub.participation.photos import MAX_PHOTOS
from hub.tenancy.context import tenant_context

MAX_DAYS = 90
MAX_RESULTS = 1000
MAX_BODY = 64 * 1024


@endpoint("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": "2026-11-26T00:00:00+01:00",
        "contact": "Regionaler Datenhub Haldensleben",
        "key_service": request.build_absolute_uri("/entwickler/"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-26T00:00:00+01:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    if fmt == "xml":
        return document("discovery", list(row.items()))
    return JsonResponse(row, json_dumps_params={"ensure_ascii": False})


def _jurisdiction(request, required: bool = False):
    slug = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if not slug:
        if required:
            raise Invalid("jurisdiction_id is missing: the slug of a municipality")
        return None
    # Without the parents and children active_tenants() brings along: not needed here.
    tenant = services.participating_tenants().prefetch_related(None).filter(slug=slug).first()
    if tenant is None:
        known = ", ".join(
            services.participating_tenants().order_by("slug").values_list("slug", flat=True)
        )
        raise NotFound(f"unknown jurisdiction_id {slug!r}; known: {known}")
    return tenant


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.regional.name,
        "metadata": category.asks_asset_id,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group or category.regional.name,
    }


@endpoint("GET")
def services_list(request, fmt):
    tenant = _jurisdiction(request, required=True)
    with tenant_context([tenant.pk]):
        categories = list(
            Category.objects.filter(tenant=tenant, is_active=True).select_related("regional")
        )
    return respond(fmt, "services", "service", [_service(c) for c in categories])


@endpoint("GET")
def service_definition(request, fmt, code: str):
    tenant = _jurisdiction(request, required=True)
    category = services.category_of(tenant, code)
    attributes = []
    if category.asks_asset_id:
        attributes.append(
            {
                "variable": True,
                "code": "asset_id",
                "datatype": "string",
                "required": False,
                "datatype_description": "Nummer am Mast, z. B. HDL-0815",
                "order": 1,
                "description": "Nummer der Leuchte (steht am Mast)",
            }
        )
    row = {"service_code": category.code, "attributes": attributes}
    if fmt == "xml":
        return document("service_definition", list(row.items()))
    return JsonResponse(row, json_dumps_params={"ensure_ascii": False})


def _public(report: Report, labels: dict[str, str], photo: int | None) -> dict[str, Any]:
    """The public face of a report: nothing about who reported it.

    `labels` are the status labels in the request's language, `photo` the id of the report's
    first photo: both looked up once per answer, not once per row.
    """
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in OPEN else "closed",
        "status_notes": report.status_notes or labels.get(report.status, report.status),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.forwarded_to or report.tenant.display_name,
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.expected_at),
        "address": report.address,
        "address_id": report.asset_id,
        "zipcode": "",
        "lat": round(report.location.y, 6),
        "long": round(report.location.x, 6),
        "media_url": (
            f"{settings.HUB_PUBLIC_URL}/open311/v2/media/{report.pk}/{photo}.jpg" if photo else ""
        ),
    }


def _status_labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in Status}


def _first_photos(reports: list[Report]) -> dict[int, int]:
    """Report id → id of its first photo, in one query."""
    rows = (
        ReportPhoto.objects.filter(report_id__in=[r.pk for r in reports])
        .order_by("report_id", "pk")
        .distinct("report_id")
        .values_list("report_id", "pk")
    )
    return dict(rows)


def _public_rows(reports: list[Report]) -> list[dict[str, Any]]:
    labels, photos = _status_labels(), _first_photos(reports)
    return [_public(r, labels, photos.get(r.pk)) for r in reports]


def _float(request, name: str) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Invalid(f"{name} must be a decimal number, e.g. 52.28") from None
    if not math.isfinite(value):
        raise Invalid(f"{name} must be a finite number")
    return value


def _client(request) -> tuple[str, int]:
    """(bucket, limit) for the rate limit: a registered developer client or the address."""
    key = request.POST.get("api_key", "").strip()
    if key:
        client = ApiClient.objects.filter(client_id=key, revoked_at__isnull=True).first()
        if client is None:
            raise Forbidden("unknown or revoked api_key; register one at /entwickler/")
        return f"open311:client:{client.client_id}", client.rate_limit
    address = request.META.get("REMOTE_ADDR", "unknown")
    return f"open311:anon:{address}", settings.HUB_OPEN311_ANONYMOUS_PER_MINUTE


@endpoint("GET", "POST", access=Access(access.PUBLIC, access.PUBLIC))
def requests_view(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _create(request, fmt):
    largest = MAX_BODY + MAX_PHOTOS * settings.HUB_PHOTO_MAX_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > largest:
        raise TooLarge(f"the request is larger than {largest // 2**20} MiB")
    bucket, limit = _client(request)
    ratelimit.check(bucket, limit)
    guard.refuse_nul(request.POST)
    lat, lon = _float(request, "lat"), _float(request, "long")
    if (lat is None) != (lon is None):
        raise Invalid("lat and long go together: give both or neither")
    address = request.POST.get("address_string", "").strip()
    if lat is None:
        if not address:
            raise Invalid("a location is required: lat and long (WGS 84), or address_string")
        found = resolve_address(address, stops=bus_stops())
        if found is None:
            raise Invalid(
                f"address_string {address[:100]!r} is not in the local address register; "
                "send lat and long (WGS 84) instead",
            )
        lat, lon = found.point.y, found.point.x
    location = services.point(lat, lon)
    jurisdiction = _jurisdiction(request)
    tenant = services.route(location, jurisdiction.slug if jurisdiction else None)
    category = services.category_of(tenant, request.POST.get("service_code", "").strip())
    email = request.POST.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(f"email {email[:80]!r} is not an e-mail address") from None
    name = " ".join(
        part
        for part in (request.POST.get("first_name", ""), request.POST.get("last_name", ""))
        if part.strip()
    )
    report = services.submit(
        tenant=tenant,
        category=category,
        location=location,
        description=request.POST.get("description", ""),
        address=address,
        asset_id=request.POST.get("attribute[asset_id]", "") or request.POST.get("address_id", ""),
        reporter=services.Reporter(name=name, email=email, phone=request.POST.get("phone", "")),
        source="open311",
        api_client=request.POST.get("api_key", "").strip(),
        # An extension many GeoReport servers share: photos as multipart `media` parts.
        photos=[(f.name, f.read()) for f in request.FILES.getlist("media")[: MAX_PHOTOS + 1]],
    )
    row = {
        "service_request_id": str(report.pk),
        "token": str(report.token),
        "service_notice": (
            f"Eingegangen bei {tenant.display_name}. Die Meldung wird geprüft und dann "
            "veröffentlicht."
        ),
        "account_id": None,
    }
    return respond(fmt, "service_requests", "request", [row], status=201)


def _dates(request) -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    parsed = {}
    for name in ("start_date", "end_date"):
        raw = request.GET.get(name, "").strip()
        if raw:
            parsed[name] = guard.parse_datetime(raw, name)
    window = dt.timedelta(days=MAX_DAYS)
    if "end_date" in parsed:
        end = parsed["end_date"]
    else:
        end = parsed["start_date"] + window if "start_date" in parsed else now
    start = parsed.get("start_date", end - window)
    if start > end:
        raise Invalid("start_date is after end_date")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise Invalid(f"at most {MAX_DAYS} days between start_date and end_date")
    return start, end


def _bbox(raw: str) -> Polygon:
    try:
        minx, miny, maxx, maxy = (float(v) for v in raw.split(","))
    except ValueError:
        raise Invalid("bbox must be minlong,minlat,maxlong,maxlat") from None
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise Invalid("bbox corners are out of range or in the wrong order")
    return Polygon.from_bbox((minx, miny, maxx, maxy))


def _visible(tenant) -> list[int]:
    if tenant is not None:
        return [tenant.pk]
    return list(
        services.participating_tenants().prefetch_related(None).values_list("pk", flat=True)
    )


def _search(request, fmt):
    tenant = _jurisdiction(request)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if any(not i.isdigit() for i in ids):
        raise Invalid("service_request_id is a comma-separated list of numbers")
    with tenant_context(_visible(tenant)):
        # The tenant only for its name: not its area or contact data.
        reports = (
            Report.objects.filter(status__in=PUBLIC)
            .select_related("category", "tenant")
            .defer("tenant__boundary", "tenant__contact", "category__description")
        )
        if ids:
            reports = reports.filter(pk__in=[int(i) for i in ids[:MAX_RESULTS]])
        else:
            start, end = _dates(request)
            reports = reports.filter(created_at__gte=start, created_at__lte=end)
            codes = [c for c in request.GET.get("service_code", "").split(",") if c.strip()]
            if codes:
                reports = reports.filter(category__code__in=codes)
            statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
            if statuses - {"open", "closed"}:
                raise Invalid("status is open, closed or both (comma-separated)")
            if statuses == {"open"}:
                reports = reports.filter(status__in=OPEN)
            elif statuses == {"closed"}:
                reports = reports.exclude(status__in=OPEN)
            if request.GET.get("bbox"):
                reports = reports.filter(location__within=_bbox(request.GET["bbox"]))
        rows = _public_rows(list(reports.order_by("-created_at")[:MAX_RESULTS]))
    return respond(fmt, "service_requests", "request", rows)


@endpoint("GET")
def request_detail(request, fmt, request_id: str):
    if not request_id.isdigit():
        raise Invalid("service_request_id is a number")
    tenant = _jurisdiction(request)
    with tenant_context(_visible(tenant)):
        report = (
            Report.objects.filter(pk=int(request_id), status__in=PUBLIC)
            .select_related("category", "tenant")
            .first()
        )
        if report is None:
            raise NotFound(f"no public service request {request_id}")
        row = _public_rows([report])[0]
    return respond(fmt, "service_requests", "request", [row])


@endpoint("GET", access=Access(HOLDER, holder_param="token"))
def token_detail(request, fmt, token: str):
    try:
        value = uuid.UUID(token)
    except ValueError:
        raise Invalid("a token looks like 8-4-4-4-12 hexadecimal digits") from None
    with tenant_context(_visible(None)):
        report = Report.objects.filter(token=value).first()
    if report is None:
        raise NotFound("no service request has this token")
    row = {"service_request_id": str(report.pk), "token": str(report.token)}
    return respond(fmt, "service_requests", "request", [row])


@public
def photo(request, report_id: int, photo_id: int):
    """A photo of a public report (never of one that is not reviewed yet)."""
    with tenant_context(_visible(None)):
        item = ReportPhoto.objects.filter(
            pk=photo_id, report_id=report_id, report__status__in=PUBLIC
        ).first()
        if item is None:
            raise NotFound(
                f"report {report_id} has no public photo {photo_id}", code="photo_not_found"
            )
        with item.file.open("rb") as handle:
            data = handle.read()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response
