# SPDX-License-Identifier: EUPL-1.2
"""The DCAT-AP.de 3.0 profile, chained after ckanext-dcat's `euro_dcat_ap_3`.

`ckanext.dcat.rdf.profiles = euro_dcat_ap_3 dcatap_de`: the European profile writes the graph,
this one adds what DCAT-AP.de demands or recommends on top (docs/dev/dcat-ap-de.md): the
political geocoding, the contributor, licences and formats as IRIs of their vocabularies, the
attribution text of "Namensnennung" licences, a publisher of type LocalAuthority, and the
catalogue's own publisher and language.

It also follows GovData's Konventionenhandbuch 2.0, so that the catalogue validates under
DCAT-AP.de 3.0 and under 2.0 "Spezifikation + Konventionen" alike (ADR 0012): exactly one
`dcatde:contributorID` of the dcat-ap.de list on every dataset (K12/K13, from
`ckanext.haldensleben.contributor_id`), the dataset's CKAN page as `dcat:landingPage`, the area
keys also as `dcatde:politicalGeocodingURI` (K08), `dcat:downloadURL` for files (K39) and the
attribution text for every licence that asks for one (K35).
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
# GovData's list of direct data providers (dcatde:contributorID, Konventionen K12/K13).
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"

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
# Licences whose terms require naming the source: DCAT-AP.de asks for the attribution text (K35).
# GeoNutzV (geonutz/20130319) and Berlin's terms (geoNutz/20131001) demand a "Quellenvermerk".
ATTRIBUTION_LICENCES = ("dl-by-de/", "dl-by-nc-de/", "cc-by", "odby", "odbl", "geonutz/")
# Formats that are files: a resource in one of them is a direct download (dcat:downloadURL, K39);
# services (WMS, WFS), web pages and formats the table does not know are not.
NOT_FILES = ("HTML", "WMS_SRVC", "WFS_SRVC")
# Organizations of these kinds are public authorities (ADMS publisher type LocalAuthority).
AUTHORITY_KINDS = ("municipality", "association", "district", "network")


def file_type_iri(value: str) -> URIRef | None:
    """The EU file-type IRI for a format; None for a format the table does not know."""
    text = str(value).strip()
    if text.startswith(FILE_TYPE):
        return URIRef(text)
    code = FORMATS.get(text.upper().removeprefix(".").replace(" ", ""))
    return URIRef(FILE_TYPE + code) if code else None


def contributor_ids(given: list[str], configured: str) -> list[str]:
    """The dataset's dcatde:contributorID values: exactly one of GovData's list (K12/K13), the
    configured one (the catalogue delivers all its datasets itself); IRIs of other schemes that
    the dataset names are kept. Without a configured one, the first of the list it names."""
    others = [c for c in given if not c.startswith(CONTRIBUTORS)]
    ours = configured.strip() or next((c for c in given if c.startswith(CONTRIBUTORS)), "")
    return ([ours] if ours else []) + others


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
        legacy = tk.asbool(tk.config.get("ckanext.haldensleben.political_geocoding_uri"))
        for area in areas:
            # DCAT-AP.de 3.0 moved the key from dcatde:politicalGeocodingURI to dct:spatial;
            # GovData's 2.0 Konventionen (K08) still want it there as well (3.0: a warning).
            g.add((dataset_ref, DCTERMS.spatial, CleanedURIRef(area)))
            if legacy:
                g.add((dataset_ref, DCATDE.politicalGeocodingURI, CleanedURIRef(area)))
        given = self._read_list_value(self._get_dataset_value(dataset_dict, "contributor_id") or [])
        configured = tk.config.get("ckanext.haldensleben.contributor_id") or ""
        for contributor in contributor_ids([str(c) for c in given], configured):
            g.add((dataset_ref, DCATDE.contributorID, CleanedURIRef(contributor)))
        self._landing_page(dataset_ref, dataset_dict)

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
            resource = resources.get(str(distribution).rpartition("/resource/")[2]) or {}
            self._distribution(distribution, resource, licence, attribution)

    def _landing_page(self, dataset_ref: URIRef, dataset_dict: dict[str, Any]) -> None:
        """The dataset's own web page (its `url`, which euro_dcat_ap_3 writes) or else its page
        in this catalogue, the human page of exactly this dataset; the hub has pages per
        tenant, not per dataset."""
        g = self.g
        if any(g.objects(dataset_ref, DCAT.landingPage)) or not dataset_dict.get("name"):
            return
        site = tk.config.get("ckan.site_url").rstrip("/")
        page = CleanedURIRef(f"{site}/dataset/{dataset_dict['name']}")
        g.add((dataset_ref, DCAT.landingPage, page))
        g.add((page, RDF.type, FOAF.Document))

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
        resource: dict[str, Any],
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
        self._download_url(distribution, resource)
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
        used = [str(v).lower() for v in g.objects(distribution, DCTERMS.license)]
        if attribution and any(
            f"/licenses/{prefix}" in iri for iri in used for prefix in ATTRIBUTION_LICENCES
        ):
            g.add((distribution, DCATDE.licenseAttributionByText, Literal(attribution, lang="de")))

    def _download_url(self, distribution: Any, resource: dict[str, Any]) -> None:
        """K39: data published as a file has its URL as dcat:downloadURL too. An upload is one;
        so is a resource in a file format (the hub's exports, links to files). K41: never for
        a distribution of a data service."""
        g = self.g
        formats = [str(f).rpartition("/")[2] for f in g.objects(distribution, DCTERMS["format"])]
        is_file = resource.get("url_type") == "upload" or (
            bool(formats) and not any(f in NOT_FILES for f in formats)
        )
        access = g.value(distribution, DCAT.accessURL)
        if (
            is_file
            and isinstance(access, URIRef)
            and not any(g.objects(distribution, DCAT.downloadURL))
            and not any(g.objects(distribution, DCAT.accessService))
        ):
            g.add((distribution, DCAT.downloadURL, access))

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
