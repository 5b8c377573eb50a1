# SPDX-License-Identifier: EUPL-1.2
"""Validate RDF against the DCAT-AP.de 3.0 shapes in HUB_DATA_DIR, offline (docs/dev/dcat-ap-de.md).

Shapes: SEMIC DCAT-AP 3.0 + the German shapes; ontology: GovData's FOAF/ORG/vCard mirrors; data
graph: the RDF under test + the dcat-ap.de licence list + an excerpt of the EU vocabularies + the
political geocoding keys of the tenants (concepts and dct:Location, as dcat-ap.de publishes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

SH = Namespace("http://www.w3.org/ns/shacl#")
GEO = "http://dcat-ap.de/def/politicalGeocoding"
SHAPE_FILES = (
    "semic_dcat-ap-SHACL_3.0.0.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
)
ONTOLOGY_FILES = ("foaf_0_1.rdf", "org.ttl", "vcard.ttl")


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation, Warning, Info
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


def _folder() -> Path:
    return Path(settings.HUB_DATA_DIR) / "dcat-ap-de"


@cache
def shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(_folder() / "v3.0" / name)
    return graph


@cache
def ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(_folder() / "vocabularies" / "mirror" / name)
    return graph


@cache
def vocabularies(keys: tuple[str, ...]) -> Graph:
    """Licences, the EU vocabulary excerpt and the area keys (8-digit AGS, 5-digit district key,
    9-digit association key)."""
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
    return graph


def findings(data: Graph, keys: tuple[str, ...]) -> list[Finding]:
    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in vocabularies(keys):
        graph.add(triple)
    _, report, _ = validate(
        graph,
        shacl_graph=shapes(),
        ont_graph=ontology(),
        inference="rdfs",
        allow_warnings=True,
        advanced=True,
    )
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        out.append(
            Finding(
                severity=str(report.value(result, SH.resultSeverity)).rpartition("#")[2],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage)),
            )
        )
    return out


def violations(data: Graph, keys: tuple[str, ...]) -> list[Finding]:
    return [f for f in findings(data, keys) if f.severity == "Violation"]
