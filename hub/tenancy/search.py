# SPDX-License-Identifier: EUPL-1.2
"""Tenants in the search box: by name, short name, slug or official key."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.core.registry import SearchHit
from hub.tenancy.selectors import active_tenants


class TenantSearch:
    name = "tenants"

    def search(self, query: str, *, request, limit: int) -> list[SearchHit]:
        words = query.split()
        found = active_tenants()
        for word in words:
            found = found.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(slug__icontains=word)
                | Q(ags=word)
                | Q(ars=word)
            )
        return [
            SearchHit(
                title=t.display_name,
                url=reverse("portal:tenant", kwargs={"slug": t.slug}),
                kind=_("Mandant"),
                snippet=f"{t.get_kind_display()}"
                + (f" · {t.official_key}" if t.official_key else ""),
                rank=2.0 if query.lower() in t.display_name.lower() else 1.0,
            )
            for t in found.order_by("name")[:limit]
        ]
