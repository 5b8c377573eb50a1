# SPDX-License-Identifier: EUPL-1.2
"""Tenant files: every mistake is named by file, field and reason, and nothing is accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tenants.register import load_register
from tenants.spec import TenantsInvalid, load_tenants
from tests.seed import NETWORK_MEMBERS

REGISTER = load_register(Path(settings.HUB_DATA_DIR))


def edit(folder: Path, slug: str, **changes) -> Path:
    path = folder / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(TenantsInvalid) as caught:
        load_tenants(folder, REGISTER)
    return [str(p) for p in caught.value.problems]


def test_seed_tenants_are_valid_and_complete(tenant_dir):
    desired = {d.spec.slug: d for d in load_tenants(tenant_dir, REGISTER)}
    assert len(desired) == 11
    assert desired["haldensleben"].spec.ags == "15083270"
    assert desired["vg-flechtingen"].spec.ars == "150835052"
    assert desired["landkreis-boerde"].spec.ags == "15083"
    assert set(desired["energieeffizienznetzwerk-mittelland"].children) == NETWORK_MEMBERS
    # Boundaries come from the register by key; the network's is derived later from members.
    assert desired["haldensleben"].boundary.num_coords == 37
    assert desired["energieeffizienznetzwerk-mittelland"].boundary is None


def test_municipality_without_ags_is_refused(tenant_dir):
    path = edit(tenant_dir, "haldensleben", ags=None)
    assert problems_of(tenant_dir) == [f"{path}: ags: a municipality needs its 8-digit AGS"]


def test_ags_with_wrong_length_or_as_number_is_refused(tenant_dir):
    path = edit(tenant_dir, "haldensleben", ags=15083270)
    assert problems_of(tenant_dir) == [f"{path}: ags: Input should be a valid string"]
    edit(tenant_dir, "haldensleben", ags="1508327")
    assert problems_of(tenant_dir) == [
        f"{path}: ags: '1508327' is not a 8-digit AGS (write it as a string)"
    ]


def test_unknown_official_key_is_refused(tenant_dir):
    path = edit(tenant_dir, "haldensleben", ags="15083999")
    assert problems_of(tenant_dir) == [
        f"{path}: ags: unknown AGS 15083999: no municipality with this key in the official register"
    ]


def test_key_of_the_wrong_level_is_refused(tenant_dir):
    # 15083 is the district, not a municipality.
    path = edit(tenant_dir, "vg-flechtingen", ars="150830270")
    assert problems_of(tenant_dir) == [
        f"{path}: ars: unknown ARS 150830270: no association with this key in the official register"
    ]


def test_name_must_be_the_official_one(tenant_dir):
    path = edit(tenant_dir, "haldensleben", name="Haldensleben")
    assert problems_of(tenant_dir) == [
        f"{path}: name: 'Haldensleben' differs from the official name 'Haldensleben, Stadt' "
        "of 15083270"
    ]


def test_unknown_field_is_refused(tenant_dir):
    path = edit(tenant_dir, "barleben", servises=["open_data"])
    assert problems_of(tenant_dir) == [
        f"{path}: servises: unknown field (check the spelling; see tenants/schema.json)"
    ]


def test_unknown_parent_is_refused(tenant_dir):
    path = edit(tenant_dir, "barleben", parents=["landkreis-boerde", "landkreis-harz"])
    assert problems_of(tenant_dir) == [f"{path}: parents[1]: unknown tenant 'landkreis-harz'"]


def test_cycle_in_the_hierarchy_is_refused(tenant_dir):
    edit(tenant_dir, "landkreis-boerde", parents=["energieeffizienznetzwerk-mittelland"])
    edit(tenant_dir, "energieeffizienznetzwerk-mittelland", parents=["barleben"])
    found = problems_of(tenant_dir)
    assert len(found) == 1
    assert "parents: cycle in the hierarchy: " in found[0]
    cycle = found[0].split(": cycle in the hierarchy: ")[1].split(" → ")
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"barleben", "energieeffizienznetzwerk-mittelland", "landkreis-boerde"}


def test_duplicate_slug_is_refused(tenant_dir):
    copy = tenant_dir / "zz-copy.yaml"
    copy.write_text((tenant_dir / "moeser.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    found = problems_of(tenant_dir)
    assert f"{copy}: slug: 'moeser' is already used by {tenant_dir / 'moeser.yaml'}" in found


def test_duplicate_official_key_is_refused(tenant_dir):
    path = edit(
        tenant_dir,
        "rdz-haldensleben",
        kind="municipality",
        ags="15083270",
        name="Haldensleben, Stadt",
    )
    assert f"{path}: ags: 15083270 is already the key of {tenant_dir / 'haldensleben.yaml'}" in (
        problems_of(tenant_dir)
    )


@pytest.mark.parametrize(
    ("geojson", "reason"),
    [
        ({"type": "Polygon", "coordinates": []}, "the geometry is empty"),
        (
            # A bow tie: the ring crosses itself.
            {
                "type": "Polygon",
                "coordinates": [
                    [[11.0, 52.0], [11.1, 52.1], [11.1, 52.0], [11.0, 52.1], [11.0, 52.0]]
                ],
            },
            "the geometry is invalid: Self-intersection",
        ),
        (
            {"type": "Point", "coordinates": [11.4, 52.3]},
            "must be a Polygon or MultiPolygon, not a Point",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[400000, 5790000], [410000, 5790000], [410000, 5800000], [400000, 5790000]]
                ],
            },
            "coordinates must be longitude/latitude (EPSG:4326)",
        ),
        ({"type": "Banana"}, "not a GeoJSON geometry"),
    ],
)
def test_invalid_or_empty_geometry_is_refused(tenant_dir, geojson, reason):
    path = edit(tenant_dir, "rdz-haldensleben", boundary={"geojson": geojson, "source": "test"})
    found = problems_of(tenant_dir)
    assert len(found) == 1
    assert found[0].startswith(f"{path}: boundary.geojson: {reason}")


def test_broken_yaml_names_line_and_column(tenant_dir):
    path = tenant_dir / "broken.yaml"
    path.write_text("slug: broken\nname: [unclosed\nkind: centre\n", encoding="utf-8")
    found = problems_of(tenant_dir)
    assert len(found) == 1
    assert found[0].startswith(f"{path}: line 3, column ")
    assert "not valid YAML" in found[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"- just\n- a list\n", "expected a mapping of fields (slug, name, kind, ...)"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        (b"", "expected a mapping of fields (slug, name, kind, ...)"),
    ],
)
def test_file_that_is_not_a_tenant_is_refused(tenant_dir, content, reason):
    path = tenant_dir / "odd.yaml"
    path.write_bytes(content)
    assert problems_of(tenant_dir) == [f"{path}: (file): {reason}"]


def test_oversized_file_is_refused_before_parsing(tenant_dir):
    path = tenant_dir / "huge.yaml"
    path.write_text("slug: huge\n# " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    found = problems_of(tenant_dir)
    assert len(found) == 1
    assert found[0].startswith(f"{path}: (file): ")
    assert "at most 2097152" in found[0]


def test_yaml_tags_cannot_run_code(tenant_dir, tmp_path):
    path = tenant_dir / "evil.yaml"
    marker = tmp_path / "pwned"
    path.write_text(f"slug: !!python/object/apply:os.system ['touch {marker}']\n", "utf-8")
    found = problems_of(tenant_dir)
    assert found[0].startswith(f"{path}: line 1, column 7: not valid YAML")
    assert not marker.exists()


def test_all_problems_are_reported_at_once(tenant_dir):
    edit(tenant_dir, "haldensleben", ags=None)
    edit(tenant_dir, "barleben", parents=["nowhere"])
    edit(tenant_dir, "moeser", kind="village")
    assert len(problems_of(tenant_dir)) == 3


def test_schema_file_matches_the_model():
    from tenants.spec import json_schema

    committed = json.loads((Path(settings.HUB_TENANTS_DIR) / "schema.json").read_text("utf-8"))
    assert committed == json_schema(), "run 'make schema' and commit tenants/schema.json"
