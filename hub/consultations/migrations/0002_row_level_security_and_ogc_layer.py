# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the consultation tables, and the published proposals as an OGC layer
(ogc.vorschlaege): no author, no pending or rejected proposal."""

from django.db import migrations

from hub.geo import db
from hub.tenancy import rls

SELECT = """
SELECT p.id, t.slug AS tenant, c.title AS verfahren, c.phase, p.title AS titel,
       p.text AS vorschlag, p.place AS ort,
       (SELECT count(*) FROM consultations_support s WHERE s.proposal_id = p.id)
           AS unterstuetzungen,
       p.created_at AS eingegangen, p.location AS geom
FROM consultations_proposal p
JOIN consultations_consultation c ON c.id = p.consultation_id
JOIN tenancy_tenant t ON t.id = p.tenant_id
WHERE p.state = 'published'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("geo", "0001_ogc_schema"),
        ("participation", "0004_ogc_layer"),
    ]

    operations = [
        rls.enable("consultations_consultation"),
        rls.enable("consultations_proposal"),
        rls.enable("consultations_comment"),
        rls.enable("consultations_support"),
        db.publish_view(
            "vorschlaege",
            SELECT,
            {
                "consultations_proposal": (
                    (
                        "id",
                        "tenant_id",
                        "consultation_id",
                        "title",
                        "text",
                        "place",
                        "location",
                        "created_at",
                        "state",
                    ),
                    "state = 'published'",
                ),
                "consultations_consultation": (("id", "title", "phase"), "true"),
                "consultations_support": (("proposal_id",), "true"),
                "tenancy_tenant": (("id", "slug"), "true"),
            },
        ),
    ]
