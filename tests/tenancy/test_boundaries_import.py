# SPDX-License-Identifier: EUPL-1.2
"""`hub boundaries import`: finer official boundaries replace the coarse VG5000 ones.

The BKG's VG250 is too large to keep here, so the tests build files of the same shape: the
VG5000 areas densified and reprojected to ETRS89/UTM 32N (EPSG:25832) by GDAL's ogr2ogr, with
VG250's attribute names (AGS, ARS, GEN, GF), as shapefile, GeoJSON and zip.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant, TenantEvent
from tenants import reconcile
from tenants.register import VG5000_SCALE

pytestmark = pytest.mark.django_db
BOUNDARIES = Path(settings.HUB_DATA_DIR) / "boundaries"
# A lake north-east of Haldensleben, recorded as water (GF 2): it must not become town area.
WATER = {
    "type": "Polygon",
    "coordinates": [
        [[11.60, 52.40], [11.62, 52.40], [11.62, 52.42], [11.60, 52.42], [11.60, 52.40]]
    ],
}


def _features(source: str, key: str, keys: set[str]) -> list[dict]:
    data = json.loads((BOUNDARIES / source).read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        if props[key] in keys:
            out.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        "AGS": props["AGS"],
                        "ARS": props["ARS"],
                        "GEN": props["GEN"],
                        "GF": 4,
                    },
                }
            )
    return out


def vg250(tmp_path: Path, name: str, features: list[dict], fmt: str = "ESRI Shapefile") -> Path:
    """Write features through ogr2ogr: densified (VG250 has far more vertices) and in UTM 32N."""
    source = tmp_path / f"{name}-4326.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    suffix = ".shp" if fmt == "ESRI Shapefile" else ".geojson"
    target = tmp_path / f"{name}{suffix}"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            fmt,
            str(target),
            str(source),
            "-s_srs",
            "EPSG:4326",
            "-t_srs",
            "EPSG:25832",
            "-segmentize",
            "0.002",
            "-nln",
            name,
        ],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture
def gem(tmp_path) -> Path:
    municipalities = {
        "15083270",
        "15083298",
        "15083040",
        "15083390",
        "15083411",
        "15083565",
        "15086145",
        "15083415",
    }  # the last one, Oschersleben, is no tenant
    features = _features("gemeinden_sachsen_anhalt.geojson", "AGS", municipalities)
    features.append(
        {
            "type": "Feature",
            "geometry": WATER,
            "properties": {
                "AGS": "15083270",
                "ARS": "150830270270",
                "GEN": "Haldensleben",
                "GF": 2,
            },
        }
    )
    return vg250(tmp_path, "VG250_GEM", features)


def run_import(path: Path, *extra: str, capsys=None) -> str:
    call_command("boundaries", "import", str(path), *extra)
    return capsys.readouterr().out if capsys else ""


def test_import_replaces_coarse_boundaries_and_keeps_reconcile_quiet(seeded, gem, capsys):
    before = {slug: t.boundary.num_coords for slug, t in seeded.items() if t.boundary}
    out = run_import(gem, capsys=capsys)
    assert "replaced:          7" in out
    assert "features of no tenant: 1" in out  # Oschersleben
    haldensleben = Tenant.objects.get(slug="haldensleben")
    assert haldensleben.boundary_scale == 250_000
    assert haldensleben.boundary_source == "VG250 © GeoBasis-DE / BKG (VG250_GEM.shp)"
    assert haldensleben.boundary.num_coords > 3 * before["haldensleben"]
    # Reprojected back to longitude/latitude, and the same place as before.
    assert haldensleben.boundary.srid == 4326
    coarse = seeded["haldensleben"].boundary
    assert haldensleben.boundary.area == pytest.approx(coarse.area, rel=0.01)
    # Water areas (GF 2) are not land of the town.
    lake = json.dumps(WATER)
    from django.contrib.gis.geos import GEOSGeometry

    assert not haldensleben.boundary.intersects(GEOSGeometry(lake, srid=4326).centroid)
    # The network's area follows its members.
    network = Tenant.objects.get(slug="energieeffizienznetzwerk-mittelland")
    assert network.boundary.num_coords > before["energieeffizienznetzwerk-mittelland"]
    assert "areas of networks recomputed: energieeffizienznetzwerk-mittelland" in out
    with system_context():
        event = TenantEvent.objects.get(tenant=haldensleben, action="boundary.import")
    assert event.details["vertices"][0] == before["haldensleben"]
    # The next reconcile keeps the finer boundaries: zero changes.
    assert reconcile.plan(only=["hub"]).changes == []
    # Importing the same file again changes nothing.
    out = run_import(gem, capsys=capsys)
    assert "replaced:          0" in out
    assert "unchanged:         7" in out


def test_tenants_missing_from_the_file_keep_their_boundary(seeded, gem, capsys):
    out = run_import(gem, capsys=capsys)
    assert "not in the file:   2  landkreis-boerde vg-flechtingen" in out
    assert Tenant.objects.get(slug="vg-flechtingen").boundary_scale == VG5000_SCALE


def test_a_zip_with_several_layers_matches_municipalities_associations_and_districts(
    seeded, tmp_path, capsys
):
    layers = [
        vg250(
            tmp_path,
            "VG250_GEM",
            _features("gemeinden_sachsen_anhalt.geojson", "AGS", {"15083270"}),
        ),
        vg250(
            tmp_path,
            "VG250_VWG",
            _features("gemeindeverbaende_sachsen_anhalt.geojson", "ARS", {"150835052"}),
        ),
        vg250(tmp_path, "VG250_KRS", _features("kreise_sachsen_anhalt.geojson", "ARS", {"15083"})),
    ]
    archive = tmp_path / "vg250_01-01.utm32s.shape.ebenen.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for shp in layers:
            for part in shp.parent.glob(shp.stem + ".*"):
                zf.write(part, part.name)
    out = run_import(archive, capsys=capsys)
    assert "replaced:          3  haldensleben landkreis-boerde vg-flechtingen" in out


def test_a_coarser_file_never_replaces_a_finer_boundary(seeded, gem, tmp_path, capsys):
    run_import(gem, capsys=capsys)
    fine = Tenant.objects.get(slug="haldensleben").boundary
    coarse = vg250(
        tmp_path,
        "coarse",
        _features("gemeinden_sachsen_anhalt.geojson", "AGS", {"15083270"}),
        fmt="GeoJSON",
    )
    out = run_import(coarse, "--scale", "5000000", capsys=capsys)
    assert "kept (finer):      1  haldensleben  (use --force to replace)" in out
    assert Tenant.objects.get(slug="haldensleben").boundary.equals_exact(fine, 1e-9)


def test_dry_run_changes_nothing(seeded, gem, capsys):
    out = run_import(gem, "--dry-run", capsys=capsys)
    assert "replaced:          7" in out
    assert "Dry run: nothing was changed." in out
    assert Tenant.objects.get(slug="haldensleben").boundary_scale == VG5000_SCALE


def test_a_file_that_is_not_geodata_is_refused(seeded, tmp_path):
    fake = tmp_path / "VG250_GEM.shp"
    fake.write_text("this is not a shapefile", encoding="utf-8")
    with pytest.raises(CommandError, match="not a geodata file GDAL can read"):
        run_import(fake)
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "missing.shp")


def test_a_file_without_key_fields_is_refused_naming_its_fields(seeded, tmp_path):
    features = [{"type": "Feature", "geometry": WATER, "properties": {"NAME": "See"}}]
    path = vg250(tmp_path, "nokeys", features, fmt="GeoJSON")
    with pytest.raises(CommandError, match=r"no layer of the file has an AGS or ARS field .*NAME"):
        run_import(path)
    assert Tenant.objects.get(slug="haldensleben").boundary_scale == VG5000_SCALE


def test_bad_features_are_skipped_with_a_reason_and_the_rest_is_imported(seeded, tmp_path, capsys):
    features = _features("gemeinden_sachsen_anhalt.geojson", "AGS", {"15083270"})
    features.append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [11.5, 52.2]},
            "properties": {"AGS": "15083298", "ARS": "", "GEN": "Hohe Börde", "GF": 4},
        }
    )
    path = vg250(tmp_path, "mixed", features, fmt="GeoJSON")
    call_command("boundaries", "import", str(path))
    captured = capsys.readouterr()
    assert "replaced:          1  haldensleben" in captured.out
    assert "skipped: mixed feature 1 (15083298): expected an area (polygon), got Point" in (
        captured.err
    )
    assert Tenant.objects.get(slug="hohe-boerde").boundary_scale == VG5000_SCALE


def test_a_shapefile_without_projection_is_skipped_with_the_hint(seeded, gem, capsys):
    gem.with_suffix(".prj").unlink()
    call_command("boundaries", "import", str(gem))
    captured = capsys.readouterr()
    assert "replaced:          0" in captured.out
    assert "the file names no coordinate reference system (is the .prj missing?)" in captured.err
