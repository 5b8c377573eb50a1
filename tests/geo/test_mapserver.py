# SPDX-License-Identifier: EUPL-1.2
"""The OGC layers through the real MapServer from Debian, read back with owslib.

Each test publishes the seed tenants' mapfiles into a folder of its own, pointing at the test
database, and serves them with the hub's gateway on a free port: the same `mapserv` program and
PostgreSQL role as the stack's :8081, on committed data (hence transactional tests).
"""

from __future__ import annotations

import socket
import threading

import psycopg
import pytest
import requests
from django.conf import settings
from owslib.ogcapi.features import Features
from owslib.wfs import WebFeatureService
from owslib.wms import WebMapService

from hub.geo import gateway, mapserver
from hub.participation import services
from hub.participation.models import Status
from hub.tenancy.context import system_context
from tenants import reconcile
from tenants.reconcile.ogc import OgcTarget
from tests.participation.conftest import HALDENSLEBEN, HOHE_BOERDE

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ogc(settings, tmp_path, categories):
    """Base URL of a gateway serving freshly published mapfiles of every seed tenant."""
    port = free_port()
    settings.HUB_OGC = {
        **settings.HUB_OGC,
        "url": f"http://127.0.0.1:{port}",
        "mapserver_dir": tmp_path,
        "publisher": "mapserver",
    }
    target = OgcTarget(mapserver.MapServerPublisher(tmp_path))
    plan = target.plan(reconcile.desired_tenants())
    assert {c.action for c in plan.changes} == {"create"}
    target.apply(plan, actor="test")
    assert not target.plan(reconcile.desired_tenants()), "a second plan must find nothing to do"
    server = gateway.GatewayServer(
        ("127.0.0.1", port),
        gateway.GatewayConfig(
            mapserv=settings.HUB_OGC["mapserv"],
            folder=tmp_path,
            public_url=f"http://127.0.0.1:{port}",
            db_password=settings.HUB_OGC["db_password"],
        ),
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def as_ogc_role() -> psycopg.Connection:
    """A connection as the role MapServer reads with (HUB_OGC_DB_USER)."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        dbname=db["NAME"],
        user=settings.HUB_OGC["db_user"],
        password=settings.HUB_OGC["db_password"],
        autocommit=True,
    )


def report(tenant, where, status: Status | None, text: str, **reporter):
    with system_context():
        category = services.category_of(tenant, "strassenbeleuchtung")
        made = services.submit(
            tenant=tenant,
            category=category,
            location=services.point(*where),
            description=text,
            reporter=services.Reporter(**reporter),
        )
    if status is not None:
        made = services.transition(made, Status.REVIEWED, actor="moderation")
        if status != Status.REVIEWED:
            made = services.transition(made, status, actor="moderation")
    return made


@pytest.fixture
def reports(categories):
    return {
        "reviewed": report(
            categories["haldensleben"],
            HALDENSLEBEN,
            Status.IN_PROGRESS,
            "Leuchte am Markt flackert",
            name="Erika Mustermann",
            email="erika@example.org",
        ),
        "submitted": report(categories["haldensleben"], HALDENSLEBEN, None, "Noch ungeprüft"),
        "elsewhere": report(
            categories["hohe-boerde"], HOHE_BOERDE, Status.REVIEWED, "Leuchte in Irxleben"
        ),
    }


def test_wms_capabilities_and_map(ogc, reports):
    wms = WebMapService(f"{ogc}/haldensleben/", version="1.3.0")
    assert wms.identification.title == "Haldensleben, Stadt"
    assert "meldungen" in wms.contents
    layer = wms["meldungen"]
    assert "EPSG:25832" in layer.crsOptions
    lon, lat = HALDENSLEBEN[1], HALDENSLEBEN[0]
    image = wms.getmap(
        layers=["meldungen"],
        srs="EPSG:4326",
        bbox=(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01),  # owslib orders the axes
        size=(256, 256),
        format="image/png",
    ).read()
    assert image.startswith(b"\x89PNG")
    # The report's circle is drawn in the middle (in-progress orange), the corners stay white.
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(image)).convert("RGB")
    assert picture.getpixel((128, 128)) == (0xF0, 0xA2, 0x02)
    assert picture.getpixel((5, 5)) == (255, 255, 255)


def test_wfs_returns_the_tenants_reviewed_reports_without_personal_data(ogc, reports):
    wfs = WebFeatureService(f"{ogc}/haldensleben/", version="2.0.0")
    assert any(name.endswith("meldungen") for name in wfs.contents)
    answer = wfs.getfeature(typename=["meldungen"], outputFormat="geojson").read()
    features = requests.models.complexjson.loads(answer)["features"]
    ids = {f["properties"]["id"] for f in features}
    assert reports["reviewed"].pk in ids
    assert reports["submitted"].pk not in ids  # not reviewed: never public
    assert reports["elsewhere"].pk not in ids  # another tenant's service
    mine = next(f for f in features if f["properties"]["id"] == reports["reviewed"].pk)
    assert mine["properties"]["status_text"] == "in Bearbeitung"
    assert mine["geometry"]["coordinates"] == pytest.approx([HALDENSLEBEN[1], HALDENSLEBEN[0]])
    text = answer.decode()
    assert "Erika" not in text
    assert "erika@example.org" not in text


def test_ogc_api_features_pages_and_filters_by_bbox(ogc, reports):
    api = Features(f"{ogc}/haldensleben/ogcapi/")
    assert "meldungen" in [c["id"] for c in api.collections()["collections"]]
    lon, lat = HALDENSLEBEN[1], HALDENSLEBEN[0]
    near = api.collection_items(
        "meldungen", bbox=[lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001]
    )
    assert [f["properties"]["id"] for f in near["features"]] == [reports["reviewed"].pk]
    far = api.collection_items("meldungen", bbox=[10.0, 50.0, 10.1, 50.1])
    assert far["features"] == []
    item = api.collection_item("meldungen", str(reports["reviewed"].pk))
    assert item["properties"]["beschreibung"] == "Leuchte am Markt flackert"
    other = Features(f"{ogc}/hohe-boerde/ogcapi/").collection_items("meldungen")
    assert [f["properties"]["id"] for f in other["features"]] == [reports["elsewhere"].pk]


def test_a_status_change_shows_at_once(ogc, reports):
    url = f"{ogc}/haldensleben/ogcapi/collections/meldungen/items/{reports['reviewed'].pk}"
    assert requests.get(url, params={"f": "json"}, timeout=10).json()["properties"]["status"] == (
        "in_progress"
    )
    services.transition(reports["reviewed"], Status.FIXED, actor="moderation")
    assert requests.get(url, params={"f": "json"}, timeout=10).json()["properties"]["status"] == (
        "fixed"
    )


def test_bad_requests_get_a_clear_answer(ogc, reports):
    unknown = requests.get(f"{ogc}/atlantis/?SERVICE=WMS&REQUEST=GetCapabilities", timeout=10)
    assert unknown.status_code == 404
    assert "atlantis" in unknown.text
    hostile = requests.get(f"{ogc}/..%2F..%2Fetc%2Fpasswd/", timeout=10)
    assert hostile.status_code == 404
    layer = requests.get(
        f"{ogc}/haldensleben/",
        params={"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geheim"},
        timeout=10,
    )
    assert layer.status_code == 200  # OGC services answer errors as exception reports
    assert "ServiceException" in layer.text
    assert "LAYERS" in layer.text
    missing = requests.get(f"{ogc}/haldensleben/ogcapi/collections/geheim/items", timeout=10)
    assert missing.status_code == 404
    big = requests.post(f"{ogc}/haldensleben/", data=b"x" * (gateway.MAX_BODY + 1), timeout=10)
    assert big.status_code == 413


def test_the_ogc_role_reads_nothing_private(reports):
    """The wall is PostgreSQL's: the role MapServer uses cannot reach personal data or
    unreviewed reports, whatever SQL it sends."""
    with as_ogc_role() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT reporter_email FROM participation_report")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM participation_reportevent")
        visible = {row[0] for row in conn.execute("SELECT id FROM participation_report")}
        assert reports["reviewed"].pk in visible
        assert reports["submitted"].pk not in visible
        in_view = {row[0] for row in conn.execute("SELECT id FROM ogc.meldungen")}
        assert reports["submitted"].pk not in in_view
        assert reports["reviewed"].pk in in_view


def test_the_stack_serves_every_seed_tenant():
    """The MapServer that `make up` started on :8081 publishes the seed tenants."""
    index = requests.get(f"{settings.HUB_OGC['url']}/", timeout=10)
    assert index.status_code == 200
    for slug in ("haldensleben", "hohe-boerde", "landkreis-boerde"):
        assert f"/{slug}/" in index.text
    wms = WebMapService(f"{settings.HUB_OGC['url']}/haldensleben/", version="1.3.0")
    assert "meldungen" in wms.contents


def test_published_proposals_are_a_layer_too(ogc, consultation, people):
    """Consultation proposals: only published ones, never their author, in the tenant's
    service only."""
    from django.contrib.gis.geos import Point

    from hub.consultations import services as consultations
    from hub.consultations.models import Moderation

    with system_context():
        shown = consultations.propose(
            consultation,
            people["erika"],
            title="Bänke",
            text="Mehr Bänke",
            location=Point(11.41, 52.29),
        )
        consultations.moderate(shown, Moderation.PUBLISHED)
        consultations.support(shown, people["max"])
        hidden = consultations.propose(
            consultation, people["max"], title="Ungeprüft", text="x", location=Point(11.41, 52.29)
        )
    items = Features(f"{ogc}/haldensleben/ogcapi/").collection_items("vorschlaege")
    assert [f["properties"]["id"] for f in items["features"]] == [shown.pk]
    properties = items["features"][0]["properties"]
    assert properties["titel"] == "Bänke"
    assert properties["unterstuetzungen"] == 1
    assert properties["verfahren"] == "Neugestaltung des Marktplatzes"
    assert "erika" not in str(items)
    assert "Ungeprüft" not in str(items)
    assert hidden.pk != shown.pk
    other = Features(f"{ogc}/hohe-boerde/ogcapi/").collection_items("vorschlaege")
    assert other["features"] == []
    with as_ogc_role() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT author_id FROM consultations_proposal")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT user_id FROM consultations_support")
