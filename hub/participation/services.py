# SPDX-License-Identifier: EUPL-1.2
"""What happens to a report: routing, submission, the staff lifecycle, anonymisation, deletion.

Every write runs inside the owning tenant's context (row-level security) and leaves an event
in the report's audit log. Errors are the hub's (hub.core.errors), naming the field and saying
what to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from hub.core.errors import Conflict, Invalid, NotFound
from hub.participation import notifications
from hub.participation.models import (
    OPEN,
    TRANSITIONS,
    Category,
    RegionalCategory,
    Report,
    ReportEvent,
    ReportPhoto,
    Status,
)
from hub.participation.photos import MAX_PHOTOS, clean
from hub.tenancy.context import system_context, tenant_context
from hub.tenancy.models import Tenant
from hub.tenancy.selectors import active_tenants

SERVICE = "participation"
MAX_DESCRIPTION = 4000
# The regional catalogue (also created by migration 0002; kept here so that a flushed database
# in tests, or a new code, gets it back).
REGIONAL = (
    ("strassenbeleuchtung", "Straßenbeleuchtung", "Street lighting"),
    ("schaeden-oeffentlicher-raum", "Schäden im öffentlichen Raum", "Damage in public space"),
    ("illegale-muellablagerung", "Illegale Müllablagerung", "Illegal dumping"),
    ("gruenflaechen-baeume", "Grünflächen und Bäume", "Green spaces and trees"),
    ("fundsache", "Fundsache", "Lost property"),
    ("sonstiges", "Sonstiges", "Other"),
)
# Haldensleben's categories of "Sag's uns einfach", the default for every participating tenant.
DEFAULT_CATEGORIES = (
    ("strassenbeleuchtung", "Straßenbeleuchtung", "strassenbeleuchtung", True),
    ("schaeden", "Schäden im öffentlichen Raum", "schaeden-oeffentlicher-raum", False),
    ("muell", "Illegale Müllablagerung", "illegale-muellablagerung", False),
    ("gruen", "Grünflächen/Bäume", "gruenflaechen-baeume", False),
    ("fundsache", "Fundsache", "fundsache", False),
    ("sonstiges", "Sonstiges", "sonstiges", False),
)


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    email: str = ""
    phone: str = ""
    consent_text: str = ""


def participating_tenants():
    return active_tenants().filter(services__contains=[SERVICE]).exclude(boundary=None)


def ensure_default_categories(tenant: Tenant) -> int:
    """Give a participating tenant the default categories it does not have yet."""
    created = 0
    regional = {
        code: RegionalCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )[0]
        for code, name, name_en in REGIONAL
    }
    with tenant_context([tenant.pk]):
        for code, name, regional_code, asks_asset in DEFAULT_CATEGORIES:
            _, new = Category.objects.get_or_create(
                tenant=tenant,
                code=code,
                defaults={
                    "name": name,
                    "regional": regional[regional_code],
                    "asks_asset_id": asks_asset,
                },
            )
            created += new
    return created


def address_categories(tenant: Tenant, template: str) -> int:
    """Give the tenant's categories that have no department address `template` ({slug} → the
    tenant's slug), unless the tenant names a contact address of its own; how many got it.
    The local stack's demo seed uses it, so that a demo report notifies someone."""
    if not template or (tenant.contact or {}).get("email"):
        return 0
    with tenant_context([tenant.pk]):
        return Category.objects.filter(tenant=tenant, department_email="").update(
            department_email=template.format(slug=tenant.slug)
        )


def point(lat: float, lon: float) -> Point:
    if not (-90 <= lat <= 90):
        raise Invalid(f"latitude {lat} is outside -90 … 90", field="lat")
    if not (-180 <= lon <= 180):
        raise Invalid(f"longitude {lon} is outside -180 … 180", field="long")
    return Point(lon, lat, srid=4326)


def route(location: Point, jurisdiction: str | None = None) -> Tenant:
    """The tenant responsible for a point: the smallest participating area that contains it.

    With a jurisdiction the point must lie in that tenant's area.
    """
    tenants = participating_tenants()
    if jurisdiction:
        tenant = tenants.filter(slug=jurisdiction).first()
        if tenant is None:
            known = ", ".join(tenants.order_by("slug").values_list("slug", flat=True))
            raise Invalid(
                f"unknown jurisdiction {jurisdiction!r}; known: {known}", field="jurisdiction_id"
            )
        if not tenant.boundary.contains(location):
            raise Invalid(f"the point lies outside the area of {tenant.display_name}", field="lat")
        return tenant
    found = (
        tenants.filter(boundary__contains=location).annotate(area=Area("boundary")).order_by("area")
    ).first()
    if found is None:
        raise Invalid(
            "the point lies outside every municipality of the region; reports can only be "
            "taken for places inside the participating municipalities",
            field="lat",
        )
    return found


def category_of(tenant: Tenant, code: str) -> Category:
    if not code:
        raise Invalid("missing; see services for the list of codes", field="service_code")
    with tenant_context([tenant.pk]):
        category = Category.objects.filter(tenant=tenant, code=code, is_active=True).first()
    if category is None:  # GeoReport v2: 404 for a service_code not found
        raise NotFound(
            f"{tenant.display_name} has no service {code!r}; see services",
            field="service_code",
            code="service_not_found",
        )
    return category


def submit(
    *,
    tenant: Tenant,
    category: Category,
    location: Point,
    description: str,
    address: str = "",
    asset_id: str = "",
    reporter: Reporter | None = None,
    source: str = "web",
    api_client: str = "",
    photos: list[tuple[str, bytes]] | tuple = (),
) -> Report:
    """Store a new report (not public until reviewed). Everything is checked before anything
    is written: one bad photo refuses the whole report, and nothing of it remains."""
    text = (description or "").strip()
    if not text:
        raise Invalid("please describe the problem", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise Invalid(f"at most {MAX_DESCRIPTION} characters", field="description")
    if "\x00" in text or "\x00" in address or "\x00" in asset_id:
        raise Invalid("contains a NUL character", field="description")
    if category.tenant_id != tenant.pk:
        raise Invalid("the category belongs to another tenant", field="service_code")
    if len(photos) > MAX_PHOTOS:
        raise Invalid(f"at most {MAX_PHOTOS} photos per report", field="media")
    cleaned = [clean(name, data) for name, data in photos]  # a PhotoError names the photo
    reporter = reporter or Reporter()
    report = Report(
        tenant=tenant,
        category=category,
        location=location,
        description=text,
        address=address.strip()[:300],
        asset_id=asset_id.strip()[:60],
        reporter_name=reporter.name.strip()[:150],
        reporter_email=reporter.email.strip()[:254],
        reporter_phone=reporter.phone.strip()[:40],
        consent_text=reporter.consent_text,
        source=source,
        api_client=api_client,
    )
    stored: list[str] = []
    try:
        return _store(report, cleaned, stored)
    except BaseException:
        for path in stored:  # the transaction rolled back; its files go too
            default_storage.delete(path)
        raise


def _store(report: Report, cleaned: list, stored: list[str]) -> Report:
    """Write the checked report and its photos in one transaction (file names into `stored`)."""
    tenant, api_client = report.tenant, report.api_client
    with transaction.atomic(), tenant_context([tenant.pk]):
        report.save()
        for photo in cleaned:
            row = ReportPhoto(tenant=tenant, report=report, width=photo.width, height=photo.height)
            row.file.save("photo.jpg", ContentFile(photo.data), save=False)
            stored.append(row.file.name)
            row.save()
        _event(report, "citizen" if not api_client else f"client:{api_client}", "submitted")
        notifications.new_report(report)
    return report


def _event(report: Report, actor: str, action: str, *, before: str = "", note: str = "") -> None:
    ReportEvent.objects.create(
        tenant_id=report.tenant_id,
        report=report,
        actor=actor,
        action=action,
        from_status=before,
        to_status=report.status,
        note=note,
    )


def transition(
    report: Report,
    to: Status,
    *,
    actor: str,
    note: str = "",
    expected_at: dt.date | None = None,
) -> Report:
    """A staff member moves a report on; the public sees the status and the note."""
    before = Status(report.status)
    if to not in TRANSITIONS[before]:
        raise Conflict(
            f"a report that is {before.label} cannot become {Status(to).label}", field="status"
        )
    with transaction.atomic(), tenant_context([report.tenant_id]):
        report.status = to
        report.status_notes = note or report.status_notes
        report.expected_at = expected_at or report.expected_at
        report.closed_at = None if to in OPEN else (report.closed_at or timezone.now())
        report.save()
        _event(report, actor, "status", before=before, note=note)
        notifications.status_changed(report)
    return report


def forward(report: Report, authority: str, *, actor: str, note: str = "") -> Report:
    """Hand the report to another authority (Landkreis, state road authority, Stadtwerke …)."""
    authority = authority.strip()
    if not authority:
        raise Invalid("name the authority the report goes to", field="forwarded_to")
    before = report.status
    with transaction.atomic(), tenant_context([report.tenant_id]):
        report.forwarded_to = authority[:200]
        report.status = Status.NOT_RESPONSIBLE
        report.status_notes = note or f"Weitergeleitet an {authority}"
        report.closed_at = report.closed_at or timezone.now()
        report.save()
        _event(report, actor, "forwarded", before=before, note=authority)
        notifications.status_changed(report)
    return report


def merge(duplicate: Report, original: Report, *, actor: str) -> Report:
    if duplicate.pk == original.pk or duplicate.tenant_id != original.tenant_id:
        raise Conflict("only two different reports of one tenant merge", field="duplicate_of")
    with transaction.atomic(), tenant_context([duplicate.tenant_id]):
        before = duplicate.status
        duplicate.duplicate_of = original
        duplicate.status = Status.DUPLICATE
        duplicate.status_notes = f"Doppelmeldung zu #{original.pk}"
        duplicate.closed_at = timezone.now()
        duplicate.save()
        _event(duplicate, actor, "merged", before=before, note=str(original.pk))
        notifications.status_changed(duplicate)
    return duplicate


def nearby_open(
    tenant: Tenant, category: Category, location: Point, metres: int = 150
) -> list[Report]:
    """Open, public reports of the same category close by: shown before someone submits."""
    with tenant_context([tenant.pk]):
        return list(
            Report.objects.filter(
                tenant=tenant,
                category=category,
                status__in=(Status.REVIEWED, Status.IN_PROGRESS),
                location__dwithin=(location, D(m=metres)),
            ).order_by("-created_at")[:10]
        )


PERSONAL = {"reporter_name": "", "reporter_email": "", "reporter_phone": "", "consent_text": ""}


def anonymise_closed(days: int, *, now: dt.datetime | None = None) -> int:
    """Empty the personal data of reports closed more than `days` days ago (all tenants)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic(), system_context():
        due = Report.objects.filter(
            closed_at__lt=cutoff, anonymised_at__isnull=True
        ).select_for_update()
        count = 0
        for report in due:
            _anonymise(report, actor="system", action="anonymised")
            count += 1
    return count


def _anonymise(report: Report, *, actor: str, action: str) -> None:
    for field, empty in PERSONAL.items():
        setattr(report, field, empty)
    report.anonymised_at = timezone.now()
    report.save()
    _event(report, actor, action)


def delete_reporter_data(token: str) -> Report:
    """The reporter's right to erasure: their name and contact go, the report (a public
    matter once reviewed) stays without them."""
    with transaction.atomic(), system_context():
        report = Report.objects.filter(token=token).select_for_update().first()
        if report is None:
            raise NotFound("no report has this token", field="token")
        _anonymise(report, actor="reporter", action="reporter_deleted")
    return report
