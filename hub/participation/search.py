# SPDX-License-Identifier: EUPL-1.2
"""Published reports in the search box: by words of their description, category or address."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.core.registry import SearchHit
from hub.participation.models import PUBLIC, Report
from hub.participation.services import participating_tenants
from hub.tenancy.context import tenant_context


class ReportSearch:
    name = "reports"

    def search(self, query: str, *, request, limit: int) -> list[SearchHit]:
        ids = list(participating_tenants().prefetch_related(None).values_list("pk", flat=True))
        with tenant_context(ids):
            found = Report.objects.filter(status__in=PUBLIC).select_related("category", "tenant")
            for word in query.split():
                found = found.filter(
                    Q(description__icontains=word)
                    | Q(category__name__icontains=word)
                    | Q(address__icontains=word)
                )
            rows = list(found.defer("tenant__boundary").order_by("-created_at")[:limit])
        return [
            SearchHit(
                title=f"#{r.pk} {r.category.name}",
                url=reverse("participation:detail", kwargs={"slug": r.tenant.slug, "pk": r.pk}),
                kind=_("Meldung"),
                snippet=" · ".join(
                    (r.tenant.display_name, r.get_status_display(), r.description[:80])
                ),
                rank=0.5,
            )
            for r in rows
        ]
