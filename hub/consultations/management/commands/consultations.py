# SPDX-License-Identifier: EUPL-1.2
"""`hub consultations seed`: the demo consultation of the local stack (Haldensleben's market
square, open for participation), created once and left alone afterwards."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management.base import BaseCommand

from hub.consultations import services
from hub.consultations.models import Consultation, Phase
from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant

DEMO = {
    "slug": "marktplatz",
    "title": "Neugestaltung des Marktplatzes",
    "summary": (
        "Der Marktplatz soll in den nächsten Jahren neu gestaltet werden: mehr Schatten, "
        "Sitzplätze, sichere Wege für Rad und Fuß, Platz für den Wochenmarkt.\n\n"
        "Was fehlt Ihnen, was soll bleiben? Setzen Sie Ihre Vorschläge auf die Karte oder "
        "wählen Sie eine Haltestelle in der Nähe, unterstützen und kommentieren Sie die "
        "Vorschläge anderer."
    ),
    # Around the market square and the old town of Haldensleben (lon/lat).
    "area": (11.398, 52.283, 11.422, 52.297),
}


class Command(BaseCommand):
    help = "Consultations: create the local stack's demo consultation."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed"])

    def handle(self, *args, action: str, **options):
        with system_context():
            tenant = Tenant.objects.filter(slug="haldensleben", is_active=True).first()
            if tenant is None:
                self.stdout.write("Consultations: no tenant haldensleben, nothing to seed.")
                return
            if Consultation.objects.filter(tenant=tenant, slug=DEMO["slug"]).exists():
                self.stdout.write(self.style.SUCCESS("Consultations: demo present."))
                return
            services.open_consultation(
                tenant,
                slug=DEMO["slug"],
                title=DEMO["title"],
                summary=DEMO["summary"],
                area=MultiPolygon(Polygon.from_bbox(DEMO["area"]), srid=4326),
                phase=Phase.PARTICIPATION,
                participation_until=dt.date.today() + dt.timedelta(days=60),
            )
        self.stdout.write(self.style.SUCCESS("Consultations: demo consultation created."))
