# SPDX-License-Identifier: EUPL-1.2
"""The DCAT-AP.de 3.0 profile, chained after ckanext-dcat's `euro_dcat_ap_3`.

`ckanext.dcat.rdf.profiles = euro_dcat_ap_3 dcatap_de`: the European profile writes the graph,
this one adds what DCAT-AP.de demands or recommends on top (docs/dev/dcat-ap-de.md): the
political geocoding, the contributor, licences and formats as IRIs of their vocabularies, the
attribution text of "Namensnennung" licences, a publisher of type LocalAuthority, and the
catalogue's own publisher and language.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ckanext.dcat.profiles.base import CleanedURIRef, RDFProfile
from ckanext.haldensleben import hierarchy

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority"
FILE_TYPE = f"{EU}/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
LANGUAGE_DE = URIRef(f"{EU}/language/DEU")
ACCESS_PUBLIC = URIRef(f"{EU}/access-right/PUBLIC")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

# CKAN's free-text formats (as people and ckanext-dcat write them) → EU file-type authority codes.
FORMATS = {
    "CSV": "CSV",
    "JSON": "JSON",
    "GEOJSON": "GEOJSON",
    "XML": "XML",
    "PDF": "PDF",
    "XLS": "XLS",
    "XLSX": "XLSX",
    "ODS": "ODS",
    "ZIP": "ZIP",
    "HTML": "HTML",
    "TXT": "TXT",
    "RDF": "RDF",
    "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE",
    "JSON-LD": "JSON_LD",
    "JSONLD": "JSON_LD",
    "SHP": "SHP",
    "GPKG": "GPKG",
    "KML": "KML",
    "GML": "GML",
    "WMS": "WMS_SRVC",
    "WFS": "WFS_SRVC",
    "GTFS": "GTFS",
    "PNG": "PNG",
    "JPEG": "JPEG",
    "JPG": "JPEG",
}
# Licences whose terms require naming the source: DCAT-AP.de asks for the attribution text.
ATTRIBUTION_LICENCES = ("dl-by-de/", "dl-by-nc-de/", "cc-by", "odby", "odbl")
# Organizations of these kinds are public authorities (ADMS publisher type LocalAuthority).
AUTHORITY_KINDS = ("municipality", "association", "district", "network")


def file_type_iri(value: str) -> URIRef | None:
    """The EU file-type IRI for a format; None for a format the table does not know."""
    text = str(value).strip()
    if text.startswith(FILE_TYPE):
        return URIRef(text)
    code = FORMATS.get(text.upper().removeprefix(".").replace(" ", ""))
    return URIRef(FILE_TYPE + code) if code else None


def licence_iri(value: Any) -> URIRef | None:
    """A licence id of the register (e.g. `dl-by-de/2.0`) or its IRI → the dcat-ap.de IRI."""
    if not value:
        return None
    text = str(value)
    if text.startswith("http://dcat-ap.de/def/licenses/"):
        return URIRef(text)
    licence = model.Package.get_license_register().get(text)
    return URIRef(licence.url) if licence is not None and licence.url else None


class DCATAPdeProfile(RDFProfile):
    """DCAT-AP.de 3.0 on top of ckanext-dcat's DCAT-AP 3 output."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        g = self.g
        g.bind("dcatde", DCATDE)
        organization = dataset_dict.get("organization") or {}

        level = self._get_dataset_value(dataset_dict, "political_geocoding_level_uri")
        areas = self._read_list_value(
            self._get_dataset_value(dataset_dict, "political_geocoding_uri") or []
        )
        if level:
            g.add((dataset_ref, DCATDE.politicalGeocodingLevelURI, CleanedURIRef(level)))
        for area in areas:
            # DCAT-AP.de 3.0 moved the key from dcatde:politicalGeocodingURI to dct:spatial.
            g.add((dataset_ref, DCTERMS.spatial, CleanedURIRef(area)))
        for contributor in self._read_list_value(
            self._get_dataset_value(dataset_dict, "contributor_id") or []
        ):
            g.add((dataset_ref, DCATDE.contributorID, CleanedURIRef(contributor)))

        if not any(g.objects(dataset_ref, DCTERMS.language)):
            g.add((dataset_ref, DCTERMS.language, LANGUAGE_DE))
        if not dataset_dict.get("private") and not any(
            g.objects(dataset_ref, DCTERMS.accessRights)
        ):
            g.add((dataset_ref, DCTERMS.accessRights, ACCESS_PUBLIC))
        self._publisher(dataset_ref, organization)
        self._contact_point(dataset_ref, organization)

        licence = licence_iri(dataset_dict.get("license_id"))
        # Whom the licence says to name: the source given with the data, else the publisher.
        attribution = (
            self._get_dataset_value(dataset_dict, "attribution") or organization.get("title") or ""
        ).strip()
        resources = {r.get("id"): r for r in dataset_dict.get("resources") or []}
        for distribution in list(g.objects(dataset_ref, DCAT.distribution)):
            self._distribution(distribution, resources, licence, attribution)

    def _publisher(self, dataset_ref: URIRef, organization: dict[str, Any]) -> None:
        g = self.g
        agents = list(g.objects(dataset_ref, DCTERMS.publisher))
        if not agents and organization:
            agent = URIRef(self._organization_uri(organization))
            g.add((dataset_ref, DCTERMS.publisher, agent))
            agents = [agent]
        org = hierarchy.group(organization.get("id")) if organization else None
        kind = (
            (org.extras or {}).get("kind")
            if org is not None and hierarchy.is_managed(org)
            else None
        )
        # ckanext-dcat names the organization by id, this profile (without a publisher) by name.
        site = tk.config.get("ckan.site_url").rstrip("/")
        org_agents = {
            URIRef(f"{site}/organization/{organization.get(k)}")
            for k in ("id", "name")
            if organization.get(k)
        }
        for agent in agents:
            g.add((agent, RDF.type, FOAF.Agent))
            if not any(g.objects(agent, FOAF.name)) and organization.get("title"):
                g.add((agent, FOAF.name, Literal(organization["title"])))
            # Only the organization itself is typed, and only when the hub says it is an
            # authority: a publisher someone entered (a company) is not.
            if (
                agent in org_agents
                and kind in AUTHORITY_KINDS
                and not any(g.objects(agent, DCTERMS.type))
            ):
                g.add((agent, DCTERMS.type, LOCAL_AUTHORITY))

    def _contact_point(self, dataset_ref: URIRef, organization: dict[str, Any]) -> None:
        """Without a contact of its own, a dataset names its organization's page in the hub."""
        g = self.g
        if any(g.objects(dataset_ref, DCAT.contactPoint)) or not organization:
            return
        # package_show drops the organization's extras: read them from the model.
        url = hierarchy.hub_url(hierarchy.group(organization.get("id"))) or (
            self._organization_uri(organization)
        )
        contact = BNode()
        g.add((dataset_ref, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(organization.get("title") or organization["name"])))
        g.add((contact, VCARD.hasURL, CleanedURIRef(url)))

    def _distribution(
        self,
        distribution: Any,
        resources: dict[str, dict[str, Any]],
        dataset_licence: URIRef | None,
        attribution: str,
    ) -> None:
        g = self.g
        for fmt in list(g.objects(distribution, DCTERMS["format"])):
            if isinstance(fmt, Literal):
                g.remove((distribution, DCTERMS["format"], fmt))
                iri = file_type_iri(fmt)
                if iri is not None:
                    g.add((distribution, DCTERMS["format"], iri))
        # DCAT-AP.de wants IANA IRIs for media types; CKAN stores them as text.
        for predicate in (DCAT.mediaType, DCAT.compressFormat, DCAT.packageFormat):
            for value in list(g.objects(distribution, predicate)):
                if isinstance(value, Literal):
                    g.remove((distribution, predicate, value))
                    text = str(value).strip().lower()
                    if re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", text):
                        g.add((distribution, predicate, URIRef(MEDIA_TYPES + text)))
        licences = list(g.objects(distribution, DCTERMS.license))
        for value in licences:
            if isinstance(value, Literal):
                g.remove((distribution, DCTERMS.license, value))
                iri = licence_iri(value)
                if iri is not None:
                    g.add((distribution, DCTERMS.license, iri))
        if not any(g.objects(distribution, DCTERMS.license)) and dataset_licence is not None:
            g.add((distribution, DCTERMS.license, dataset_licence))
        used = [str(v) for v in g.objects(distribution, DCTERMS.license)]
        if attribution and any(
            f"/licenses/{prefix}" in iri for iri in used for prefix in ATTRIBUTION_LICENCES
        ):
            g.add((distribution, DCATDE.licenseAttributionByText, Literal(attribution, lang="de")))

    @staticmethod
    def _organization_uri(organization: dict[str, Any]) -> str:
        return f"{tk.config.get('ckan.site_url').rstrip('/')}/organization/{organization['name']}"

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: URIRef) -> None:
        g = self.g
        g.bind("dcatde", DCATDE)
        for language in list(g.objects(catalog_ref, DCTERMS.language)):
            if isinstance(language, Literal):
                g.remove((catalog_ref, DCTERMS.language, language))
        g.add((catalog_ref, DCTERMS.language, LANGUAGE_DE))
        if not any(g.objects(catalog_ref, DCTERMS.description)):
            g.add((catalog_ref, DCTERMS.description, Literal(tk.config.get("ckan.site_title"))))
        if not any(g.objects(catalog_ref, DCTERMS.publisher)):
            site = tk.config.get("ckan.site_url").rstrip("/")
            agent = URIRef(
                tk.config.get("ckanext.haldensleben.catalog_publisher_uri")
                or f"{site}/about#publisher"
            )
            g.add((catalog_ref, DCTERMS.publisher, agent))
            g.add((agent, RDF.type, FOAF.Agent))
            g.add(
                (agent, FOAF.name, Literal(tk.config.get("ckanext.haldensleben.catalog_publisher")))
            )
            g.add((agent, DCTERMS.type, LOCAL_AUTHORITY))
