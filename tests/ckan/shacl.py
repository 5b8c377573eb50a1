# SPDX-License-Identifier: EUPL-1.2
"""Validate RDF against the DCAT-AP.de shapes in HUB_DATA_DIR, offline (docs/dev/dcat-ap-de.md).

Profiles (`PROFILES`): "3.0" = SEMIC DCAT-AP 3.0 + the German 3.0 shapes; "2.0" = the DCAT-AP.de
2.0 release's "Spezifikation" (SEMIC DCAT-AP 2.1.1 + the German additions, messages and
deprecations); "2.0+Konventionen" = that + `dcat-ap-konventionen.ttl`, GovData's profile for
delivery to GovData (the release's shacl/README.md). `dcat-ap-de-imports.ttl` is never loaded:
it only `owl:imports` the vocabularies, which come from local copies instead.

Ontology: GovData's FOAF/ORG/vCard mirrors; data graph: the RDF under test + the dcat-ap.de
licence list + an excerpt of the EU vocabularies + the political geocoding keys of the tenants
(concepts and dct:Location, as dcat-ap.de publishes them) + the catalogue's GovData contributor
ID as a member of the contributor list. That list is GovData's and not available offline
(../shared/data/README.md); the ID is the one CKAN is configured with
(`ckanext.haldensleben.contributor_id`), so the shapes check that every dataset carries exactly
that one and no other ID of the list (Konventionen K12/K13), not that GovData has assigned it.
"""

from __future__ import annotations

import configparser
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

SH = Namespace("http://www.w3.org/ns/shacl#")
GEO = "http://dcat-ap.de/def/politicalGeocoding"
CONTRIBUTORS = "http://dcat-ap.de/def/contributors"
SPEZIFIKATION_2_0 = (
    "v2.0/dcat-ap_2.1.1_shacl_shapes.ttl",
    "v2.0/dcat-ap-spec-german-additions.ttl",
    "v2.0/dcat-ap-spec-german-messages.ttl",
    "v2.0/dcat-ap-de-deprecated.ttl",
)
PROFILES = {
    "3.0": (
        "v3.0/semic_dcat-ap-SHACL_3.0.0.ttl",
        "v3.0/dcat-ap-SHACL-DE.ttl",
        "v3.0/dcat-ap-spec-german-additions.ttl",
        "v3.0/dcat-ap-de-controlledvocabularies.ttl",
        "v3.0/dcat-ap-de-deprecated.ttl",
    ),
    "2.0": SPEZIFIKATION_2_0,
    "2.0+Konventionen": (*SPEZIFIKATION_2_0, "v2.0/dcat-ap-konventionen.ttl"),
}
ONTOLOGY_FILES = ("foaf_0_1.rdf", "org.ttl", "vcard.ttl")


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation, Warning, Info
    focus: str
    path: str
    message: str
    shape: str = ""  # the shape that failed (an anonymous one: "<its node shape>/[property]")

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


def summary(problems: list[Finding], examples: int = 2) -> str:
    """One line per shape and path: how many results, on how many focus nodes, and examples."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.shape or "(blank node)", p.path), []).append(p)
    lines = [f"{len(problems)} results:"]
    for (severity, shape, path), found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        focus = Counter(f.focus for f in found)
        lines.append(
            f"- {len(found)} x {severity} {shape} path {path} on {len(focus)} focus nodes, "
            f"e.g. {', '.join(list(focus)[:examples])}: {found[0].message}"
        )
    return "\n".join(lines)


def _folder() -> Path:
    return Path(settings.HUB_DATA_DIR) / "dcat-ap-de"


@cache
def shapes(profile: str = "3.0") -> Graph:
    graph = Graph()
    for name in PROFILES[profile]:
        graph.parse(_folder() / name)
    return graph


@cache
def configured_contributor() -> str:
    """`ckanext.haldensleben.contributor_id` of the local stack's CKAN ("" when unset)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(Path(settings.STATE_DIR) / "ckan" / "ckan.ini")
    return parser["app:main"].get("ckanext.haldensleben.contributor_id", "").strip()


@cache
def ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(_folder() / "vocabularies" / "mirror" / name)
    return graph


@cache
def vocabularies(keys: tuple[str, ...], contributors: tuple[str, ...] = ()) -> Graph:
    """Licences, the EU vocabulary excerpt, the area keys (8-digit AGS, 5-digit district key,
    9-digit association key) and the contributor IDs taken to be on GovData's list."""
    graph = Graph()
    graph.parse(_folder() / "vocabularies" / "dcat-ap-de_licenses_20210721.rdf")
    graph.parse(Path(__file__).parent / "data" / "vocabulary-excerpt.ttl")
    kinds = {8: "municipalityKey", 5: "districtKey", 9: "municipalAssociationKey", 2: "stateKey"}
    for key in keys:
        concept = URIRef(f"{GEO}/{kinds[len(key)]}/{key}")
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, RDF.type, DCTERMS.Location))
        graph.add((concept, SKOS.inScheme, URIRef(f"{GEO}/{kinds[len(key)]}")))
        graph.add((concept, SKOS.notation, Literal(key)))
    for contributor in contributors:
        graph.add((URIRef(contributor), SKOS.inScheme, URIRef(CONTRIBUTORS)))
    return graph


def findings(
    data: Graph,
    keys: tuple[str, ...],
    profile: str = "3.0",
    contributors: tuple[str, ...] | None = None,
) -> list[Finding]:
    """Every result of validating `data` under `profile`. `contributors`: the IDs of the
    contributor list; by default the one CKAN is configured with."""
    if contributors is None:
        contributors = tuple(filter(None, [configured_contributor()]))
    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in vocabularies(keys, contributors):
        graph.add(triple)
    _, report, _ = validate(
        graph,
        shacl_graph=shapes(profile),
        ont_graph=ontology(),
        inference="rdfs",
        allow_warnings=True,
        advanced=True,
    )
    out = []
    rules = shapes(profile)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        if not isinstance(shape, URIRef):  # an anonymous property shape: name its node shape
            owner = rules.value(None, SH.property, shape)
            shape = URIRef(f"{owner}/[property]") if isinstance(owner, URIRef) else None
        out.append(
            Finding(
                severity=str(report.value(result, SH.resultSeverity)).rpartition("#")[2],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage)),
                shape=str(shape) if isinstance(shape, URIRef) else "",
            )
        )
    return out


def violations(
    data: Graph,
    keys: tuple[str, ...],
    profile: str = "3.0",
    contributors: tuple[str, ...] | None = None,
) -> list[Finding]:
    return [f for f in findings(data, keys, profile, contributors) if f.severity == "Violation"]
