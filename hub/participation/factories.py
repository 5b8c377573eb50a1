# SPDX-License-Identifier: EUPL-1.2
"""Factories of participation's rows (factory-boy), for the tests, the benches and the
isolation matrix. They write inside the owning tenant's context, as the services do."""

from __future__ import annotations

import io
import uuid

import factory
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from PIL import Image

from hub.core.registry import Sample
from hub.participation import services
from hub.participation.models import Category, Report, ReportPhoto, Status
from hub.tenancy.context import tenant_context


def inside(tenant) -> Point:
    """A point inside the tenant's area (its point on surface)."""
    return tenant.boundary.point_on_surface


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    description = factory.Sequence(lambda n: f"Schlagloch Nr. {n} in der Fahrbahn")
    location = factory.LazyAttribute(lambda o: inside(o.tenant))
    status = Status.SUBMITTED
    reporter_name = "Erika Muster"
    reporter_email = factory.Sequence(lambda n: f"erika{n}@example.org")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tenant = kwargs["tenant"]
        if "category" not in kwargs:
            services.ensure_default_categories(tenant)
            with tenant_context([tenant.pk]):
                kwargs["category"] = Category.objects.filter(tenant=tenant).order_by("code").first()
        with tenant_context([tenant.pk]):
            return super()._create(model_class, *args, **kwargs)


def jpeg(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def photo_of(report: Report) -> ReportPhoto:
    with tenant_context([report.tenant_id]):
        row = ReportPhoto(tenant_id=report.tenant_id, report=report, width=40, height=30)
        row.file.save("photo.jpg", ContentFile(jpeg()), save=False)
        row.save()
        return row


def isolation_sample(tenant) -> Sample:
    """A report nobody has reviewed yet (private: only the tenant's moderators see it), with a
    photo, and the reporter's name and address carrying the marker."""
    marker = f"geheim-{uuid.uuid4().hex[:10]}"
    report = ReportFactory(
        tenant=tenant,
        description=f"Nicht öffentlich {marker}",
        reporter_name=f"Person {marker}",
        reporter_email=f"{marker}@example.org",
    )
    photo = photo_of(report)
    return Sample(
        kwargs={
            "pk": report.pk,
            "token": str(report.token),
            "report_id": report.pk,
            "photo_id": photo.pk,
            "request_id": str(report.pk),
            "code": report.category.code,
            "fmt": "json",
        },
        marker=marker,
    )
