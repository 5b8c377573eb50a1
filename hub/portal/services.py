# SPDX-License-Identifier: EUPL-1.2
"""What the portal shows, read from the registry: services, map layers, search hits."""

from __future__ import annotations

import json
import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hub.core.registry import PortalEntry, SearchHit, registry
from hub.geo.publishers import ogc_resources

log = logging.getLogger(__name__)
AUDIENCES = ("citizens", "developers", "staff")
MAX_QUERY = 100
HITS_PER_PROVIDER = 8


@dataclass(frozen=True)
class ShownService:
    title: str
    description: str
    url: str
    audience: str


def _entries() -> list[PortalEntry]:
    return sorted(
        registry.portal_entries, key=lambda e: (AUDIENCES.index(e.audience), e.order, e.title)
    )


def tenant_services(tenant) -> list[ShownService]:
    """The services a tenant page lists: those its YAML names and the registry offers,
    citizens' first ("Problem melden" leads)."""
    shown = []
    for entry in _entries():
        if not (entry.url_name or entry.url) or entry.service not in (tenant.services or []):
            continue
        if entry.available is not None and not entry.available(tenant):
            continue
        try:
            url = (
                entry.url(tenant)
                if entry.url
                else reverse(entry.url_name, kwargs={"slug": tenant.slug})
            )
        except NoReverseMatch:
            log.error("portal entry %r: no URL %r with a slug", entry.title, entry.url_name)
            continue
        shown.append(ShownService(str(entry.title), str(entry.description), url, entry.audience))
    return shown


def region_services() -> list[ShownService]:
    """The region-wide pages of the services (the start page and the header)."""
    shown = []
    for entry in _entries():
        if entry.region_url_name or entry.region_url:
            url = entry.region_url() if entry.region_url else reverse(entry.region_url_name)
            shown.append(
                ShownService(str(entry.title), str(entry.description), url, entry.audience)
            )
    return shown


def mobility_tenant(request):
    """The tenant of the request if it offers the mobility centre (timetables, chargers,
    sharing), else a 404 that says so."""
    tenant = request.tenant
    if "mobility" not in (tenant.services or []):
        raise Http404(_("Dieser Mandant bietet keine Mobilitätsauskunft im Datenhub an."))
    return tenant


def map_config(tenant=None) -> dict:
    """What every map of the hub draws first: the base map (HUB_BASEMAP_URL, with its
    attribution) and the hub's own context layers, so that no map is ever blank."""
    layers = []
    for layer in sorted(registry.map_layers, key=lambda m: (m.order, m.name)):
        if layer.per_tenant and tenant is None:
            continue
        kwargs = dict(layer.url_kwargs)
        if layer.per_tenant:
            kwargs["slug"] = tenant.slug
        url = reverse(layer.url_name, kwargs=kwargs or None)
        layers.append(
            {
                "name": layer.name,
                "title": str(layer.title),
                "url": url,
                "kind": layer.kind,
                "color": layer.color,
            }
        )
    return {
        "tiles_url": settings.HUB_BASEMAP["url"],
        "attribution": settings.HUB_BASEMAP["attribution"],
        "center": (52.29, 11.41),
        "zoom": 9,
        "only": tenant.slug if tenant is not None else "",
        "context": json.dumps(layers, ensure_ascii=False),
    }


def ogc_services(tenant) -> dict | None:
    """The tenant's OGC services (one per tenant with an area) and their layers."""
    if tenant.boundary is None:
        return None
    layers = [
        {
            "name": layer.name,
            "title": layer.title,
            "resources": ogc_resources(tenant.slug, layer.name),
        }
        for layer in registry.ogc_layers
    ]
    wms = layers[0]["resources"][0].url.split("SERVICE=")[0] if layers else ""
    return {"wms": wms, "layers": layers}


def clean_query(raw: str) -> str:
    """The search text as providers get it: normalised, without control characters, short."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY]


def search(query: str, request) -> list[tuple[str, list[SearchHit]]]:
    """Every provider's hits for the query, grouped by kind, the best group first. A provider
    that fails is logged and left out: the others still answer."""
    groups: dict[str, list[SearchHit]] = {}
    for provider in registry.search_providers:
        try:
            hits = provider.search(query, request=request, limit=HITS_PER_PROVIDER)
        except Exception:  # one broken provider must not take the search box down
            log.exception("search provider %s failed", provider.name)
            continue
        for hit in hits:
            groups.setdefault(hit.kind, []).append(hit)
    ordered = sorted(groups.items(), key=lambda g: -max(h.rank for h in g[1]))
    return [(kind, sorted(hits, key=lambda h: -h.rank)) for kind, hits in ordered]
