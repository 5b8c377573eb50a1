# SPDX-License-Identifier: EUPL-1.2
"""The public reports as an OGC layer (ogc.meldungen): reviewed ones only, no personal data."""

from django.db import migrations

from hub.geo import db
from hub.participation.models import PUBLIC, Status

PUBLIC_SQL = ", ".join(f"'{status.value}'" for status in PUBLIC)
LABELS = " ".join(f"WHEN '{s.value}' THEN '{s.label}'" for s in Status)

SELECT = f"""
SELECT r.id, t.slug AS tenant, c.name AS kategorie, r.status,
       CASE r.status {LABELS} END AS status_text,
       r.description AS beschreibung, r.status_notes AS hinweis,
       r.forwarded_to AS weitergeleitet_an, r.created_at AS eingegangen,
       r.updated_at AS aktualisiert, r.closed_at AS abgeschlossen, r.location AS geom
FROM participation_report r
JOIN participation_category c ON c.id = r.category_id
JOIN tenancy_tenant t ON t.id = r.tenant_id
WHERE r.status IN ({PUBLIC_SQL})
"""


class Migration(migrations.Migration):
    dependencies = [("participation", "0003_report_photo"), ("geo", "0001_ogc_schema")]

    operations = [
        db.publish_view(
            "meldungen",
            SELECT,
            {
                "participation_report": (
                    (
                        "id",
                        "tenant_id",
                        "category_id",
                        "status",
                        "description",
                        "status_notes",
                        "forwarded_to",
                        "created_at",
                        "updated_at",
                        "closed_at",
                        "location",
                    ),
                    f"status IN ({PUBLIC_SQL})",
                ),
                "participation_category": (("id", "name"), "true"),
                "tenancy_tenant": (("id", "slug"), "true"),
            },
        )
    ]
