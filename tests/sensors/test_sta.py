# SPDX-License-Identifier: EUPL-1.2
"""The SensorThings API v1.1, grouped by the standard's conformance classes (OGC 18-088, Annex A),
then what the hub adds: tenants and limits."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection

from hub.accounts import auth
from hub.sensors import ingest
from hub.sensors.models import Observation, Thing
from hub.sensors.sta.observations import TimeTextLoader
from hub.tenancy.context import system_context
from tests.identity.test_isolation import token_for
from tests.sensors.conftest import sample
from tests.sensors.test_webhooks import CHIRPSTACK, post

pytestmark = pytest.mark.django_db
STA = "/sta/v1.1"


@pytest.fixture
def tokens(token_realm, monkeypatch):
    verifier = token_realm.verifier()
    monkeypatch.setattr(auth, "verifier", lambda: verifier)
    return {
        "haldensleben": token_for(token_realm, ("haldensleben", "editor")),
        "barleben": token_for(token_realm, ("barleben", "editor")),
    }


@pytest.fixture
def data(client, stations):
    """Haldensleben's station with the AM103 readings; Barleben's station is private."""
    answer = post(client, CHIRPSTACK, sample("chirpstack_v4_up_thingsboard_milesight_am103.json"))
    assert answer.status_code == 202
    with system_context():
        Thing.objects.filter(pk=stations["barleben"].thing.pk).update(public=False)
    return stations


def get(client, path, token=None, **query):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.get(f"{STA}/{path}", query, headers=headers)


def _post(client, path, body, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", headers=headers)


THING = {
    "name": "Pegel Ohre",
    "description": "Wasserstand an der Brücke",
    "Locations": [
        {
            "name": "Brücke",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [11.42, 52.29]},
        }
    ],
    "Datastreams": [
        {
            "name": "Wasserstand",
            "unitOfMeasurement": {"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"},
            "Sensor": {"name": "Radarpegel", "encodingType": "text/html", "metadata": "x"},
            "ObservedProperty": {"name": "Wasserstand", "definition": "https://example.org/pegel"},
        }
    ],
}


def _more_observations(stream) -> None:
    """Observations whose times and results take each way through the renderers: a whole
    second, a fraction with trailing zeros, a result time, a JSON result."""
    base = dt.datetime(2023, 5, 22, 8, 0, tzinfo=dt.UTC)
    rows = [
        ingest.Row(stream.tenant_id, stream.pk, base, 1.0, None, "a"),
        ingest.Row(stream.tenant_id, stream.pk, base.replace(microsecond=400000), 2.5, None, "b"),
        ingest.Row(
            stream.tenant_id, stream.pk, base.replace(second=7), None, '{"x": [1, "ü"]}', "c"
        ),
    ]
    with system_context(), connection.cursor() as cursor:
        ingest.write(cursor.cursor, rows)
        cursor.execute(
            "UPDATE sensors_observation SET result_time = phenomenon_time + interval '1.5 s'"
            " WHERE source_id = 'a'"
        )


class TestSensingCore:
    """Conformance class A.1 Sensing Core: the service root, entity sets, entities and their
    annotations, addressing."""

    def test_the_service_root_lists_the_entity_sets(self, client):
        root = get(client, "").json()
        assert [e["name"] for e in root["value"]] == [
            "Things",
            "Locations",
            "HistoricalLocations",
            "Sensors",
            "ObservedProperties",
            "Datastreams",
            "Observations",
            "FeaturesOfInterest",
        ]
        assert root["value"][0]["url"] == "http://testserver/sta/v1.1/Things"

    def test_entities_carry_the_standard_annotations(self, client, data):
        thing = data["haldensleben"].thing
        things = get(client, "Things", **{"$count": "true"}).json()
        assert things["@iot.count"] == 1  # Barleben's is private
        one = things["value"][0]
        assert one["@iot.id"] == thing.pk
        assert one["@iot.selfLink"] == f"http://testserver{STA}/Things({thing.pk})"
        assert one["Datastreams@iot.navigationLink"].endswith(f"Things({thing.pk})/Datastreams")
        page = get(client, f"Things({thing.pk})/Datastreams", **{"$top": "2"}).json()
        assert len(page["value"]) == 2
        assert "%24skip=2" in page["@iot.nextLink"]
        names = [d["name"] for d in page["value"]]
        while "@iot.nextLink" in page:  # five datastreams in all, two per page
            page = get(client, page["@iot.nextLink"].split(STA + "/")[1]).json()
            names += [d["name"] for d in page["value"]]
        assert sorted(names) == sorted(s.name for s in data["haldensleben"].streams.values())
        assert get(client, f"Things({thing.pk})/name/$value").content.decode() == thing.name
        stream = data["haldensleben"].streams["co2"]
        unit = get(client, f"Datastreams({stream.pk})/unitOfMeasurement/$value")
        assert json.loads(unit.content) == stream.unit_of_measurement  # JSON, not a repr

    def test_every_observation_has_a_feature_of_interest(self, client, data, tokens):
        """The standard makes the link mandatory; one that names none gets a feature generated
        from its Thing's Location, once per location (FROST-Server's behaviour)."""
        station = data["haldensleben"]
        observations = get(client, "Observations", **{"$expand": "FeatureOfInterest"}).json()
        features = {o["FeatureOfInterest"]["@iot.id"] for o in observations["value"]}
        assert len(observations["value"]) == 4
        assert len(features) == 1  # four observations of one station, one location
        [feature_id] = features
        feature = get(client, f"FeaturesOfInterest({feature_id})").json()
        with system_context():
            [place] = station.thing.locations.all()
        assert feature["name"] == place.name
        assert feature["feature"] == json.loads(place.location.geojson)
        assert feature["encodingType"] == "application/geo+json"
        assert feature["Observations@iot.navigationLink"].endswith(
            f"FeaturesOfInterest({feature_id})/Observations"
        )
        of_feature = get(client, f"FeaturesOfInterest({feature_id})/Observations").json()
        assert len(of_feature["value"]) == 4
        one = observations["value"][0]
        assert one["FeatureOfInterest@iot.navigationLink"].endswith("/FeatureOfInterest")
        linked = get(client, f"Observations({one['@iot.id']})/FeatureOfInterest").json()
        assert linked["@iot.id"] == feature_id
        # Barleben's station is private: so is the feature made from its location.
        hidden = data["barleben"].streams["co2"]
        when = dt.datetime(2023, 5, 22, 9, 0, tzinfo=dt.UTC)
        with system_context(), connection.cursor() as cursor:
            row = ingest.Row(hidden.tenant_id, hidden.pk, when, 612.0, None, "x")
            ingest.write(cursor.cursor, [row, row])  # twice in a batch: one observation
        listed = get(client, "FeaturesOfInterest").json()["value"]
        assert [f["@iot.id"] for f in listed] == [feature_id]
        theirs = get(client, "FeaturesOfInterest", tokens["barleben"]).json()["value"]
        assert len(theirs) == 2
        mine = get(client, f"FeaturesOfInterest({feature_id})", tokens["haldensleben"])
        assert mine.status_code == 200

    def test_ref_gives_the_links_only(self, client, data):
        thing = data["haldensleben"].thing
        refs = get(client, f"Things({thing.pk})/Datastreams/$ref").json()
        assert len(refs["value"]) == len(data["haldensleben"].streams)
        for ref in refs["value"]:
            assert list(ref) == ["@iot.selfLink"]
            assert "/sta/v1.1/Datastreams(" in ref["@iot.selfLink"]
        stream = data["haldensleben"].streams["co2"]
        one = get(client, f"Datastreams({stream.pk})/Thing/$ref").json()
        assert one == {"@iot.selfLink": f"http://testserver{STA}/Things({thing.pk})"}
        assert get(client, "Things/$ref").json()["value"][0] == {
            "@iot.selfLink": f"http://testserver{STA}/Things({thing.pk})"
        }
        assert get(client, "Things/$ref", **{"$expand": "Datastreams"}).status_code == 400
        assert get(client, f"Things({thing.pk})/name/$ref").status_code == 404


class TestFilteringExtension:
    """Conformance class A.2 Filtering Extension: $expand, $select, $orderby, $top, $skip,
    $count, $filter, and a reason for each refusal."""

    def test_expand_select_orderby_and_filter(self, client, data):
        streams = data["haldensleben"].streams
        answer = get(
            client,
            "Things",
            **{
                "$select": "name",
                "$expand": "Datastreams($select=name;$orderby=name desc;"
                "$expand=Observations($select=result))",
            },
        ).json()
        [thing] = answer["value"]
        assert list(thing) == ["name", "Datastreams"]
        assert [d["name"] for d in thing["Datastreams"]] == sorted(
            (s.name for s in streams.values()), reverse=True
        )
        results = {
            d["name"]: [o["result"] for o in d["Observations"]] for d in thing["Datastreams"]
        }
        assert results[streams["co2"].name] == [453.0]
        assert results[streams["luminosity"].name] == []
        cases = {
            "result gt 100": [453.0],
            "result ge 28 and result lt 100": [28.0, 54.5],
            "not (result lt 100)": [100.0, 453.0],
            "result mul 2 eq 109": [54.5],
            "Datastream/ObservedProperty/name eq 'co2'": [453.0],
            f"Datastream/@iot.id eq {streams['co2'].pk}": [453.0],
            f"Datastream/id eq {streams['co2'].pk}": [453.0],
            "Datastream/unitOfMeasurement/symbol eq '°C'": [28.0],
            "year(phenomenonTime) eq 2023 and hour(phenomenonTime) eq 7": [
                28.0,
                54.5,
                100.0,
                453.0,
            ],
            "phenomenonTime lt 2023-05-22T07:00:00Z": [],
            "startswith(Datastream/name, 'Luftmessstation Markt: t')": [28.0],
            "st_within(Datastream/Thing/Locations/location, "
            "geography'POLYGON((11 52, 12 52, 12 53, 11 53, 11 52))')": [28.0, 54.5, 100.0, 453.0],
        }
        for condition, expected in cases.items():
            found = get(
                client,
                "Observations",
                **{"$filter": condition, "$orderby": "result", "$select": "result"},
            )
            assert found.status_code == 200, (condition, found.content)
            assert [o["result"] for o in found.json()["value"]] == expected, condition

    @pytest.mark.parametrize(
        ("path", "query", "status", "message"),
        [
            ("Things", {"$filter": "name eq"}, 400, "ends too early"),
            ("Things", {"$filter": "nosuch eq 1"}, 400, "no property or link 'nosuch'"),
            ("Things", {"$filter": "frobnicate(name) eq 1"}, 400, "unknown function"),
            ("Things", {"$filter": "name eq 'x' ; DROP TABLE"}, 400, "cannot read"),
            ("Things", {"$top": "10001"}, 400, "at most 10000"),
            ("Things", {"$skip": "-1"}, 400, "whole number"),
            ("Things", {"$orderby": "name sideways"}, 400, "$orderby"),
            ("Things", {"$expand": "Nothing"}, 400, "no link 'Nothing'"),
            ("Things", {"$foo": "1"}, 400, "unknown query option"),
            ("Things", {"$select": "name,nosuch"}, 400, "no property or link 'nosuch'"),
            ("Observations", {"$select": "colour"}, 400, "no property or link 'colour'"),
            ("Things", {"$expand": "Datastreams($select=bogus)"}, 400, "'bogus'"),
            ("Things(99999)", {}, 404, "no Thing 99999"),
            ("Gadgets", {}, 404, "no entity set"),
        ],
    )
    def test_bad_requests_get_a_reason(self, client, data, path, query, status, message):
        answer = get(client, path, **query)
        assert answer.status_code == status
        assert message in answer.json()["message"]

    @pytest.mark.parametrize("select", [None, "id,result,phenomenonTime", "selfLink,resultTime"])
    def test_observation_pages_render_as_every_other_entity(self, client, data, select):
        """Observations without $expand take a path of their own (tuples, times as text): it gives
        what the generic renderer gives (used here through $expand)."""
        _more_observations(data["haldensleben"].streams["temperature"])
        query = {"$orderby": "phenomenonTime,id"} | ({"$select": select} if select else {})
        fast = get(client, "Observations", **query).json()["value"]
        generic = get(client, "Observations", **query, **{"$expand": "Datastream($select=id)"})
        generic = [
            {k: v for k, v in o.items() if k != "Datastream"} for o in generic.json()["value"]
        ]
        assert fast == generic
        assert len(fast) == 4 + 3
        if select is None:
            assert [o["phenomenonTime"] for o in fast[4:]] == [
                "2023-05-22T08:00:00Z",
                "2023-05-22T08:00:00.400000Z",
                "2023-05-22T08:00:07Z",
            ]
            assert fast[4]["resultTime"] == "2023-05-22T08:00:01.500000Z"
            assert fast[6]["result"] == {"x": [1, "ü"]}
            assert fast[0]["phenomenonTime"] == "2023-05-22T07:47:05.404859Z"

    def test_times_outside_utc_still_render_in_utc(self):
        """The text shortcut of TimeTextLoader needs a UTC session; any other goes by datetime."""
        with connection.cursor() as cursor:
            cursor.cursor.adapters.register_loader("timestamptz", TimeTextLoader)
            cursor.execute("SET LOCAL TIME ZONE 'Europe/Berlin'")
            cursor.execute(
                "SELECT timestamptz '2023-05-22 07:47:05.4+00', timestamptz '2023-12-31Z'"
            )
            assert cursor.fetchone() == ("2023-05-22T07:47:05.400000Z", "2023-12-31T00:00:00Z")


class TestCreateUpdateDelete:
    """Conformance class A.3 Create-Update-Delete: POST of entities with their links, deep
    insert, and malformed bodies."""

    def test_creating_things_datastreams_and_observations(self, client, data, tokens):
        url = "/t/haldensleben/sta/v1.1/"
        assert _post(client, url + "Things", THING).status_code == 401
        assert _post(client, url + "Things", THING, tokens["barleben"]).status_code == 403
        assert _post(client, f"{STA}/Things", THING, tokens["haldensleben"]).status_code == 400
        made = _post(client, url + "Things", THING, tokens["haldensleben"])
        assert made.status_code == 201, made.content
        thing_id = made.json()["@iot.id"]
        assert made["Location"].endswith(f"/t/haldensleben/sta/v1.1/Things({thing_id})")
        [stream] = get(client, f"Things({thing_id})/Datastreams").json()["value"]
        [history] = get(
            client, f"Things({thing_id})/HistoricalLocations", **{"$expand": "Locations"}
        ).json()["value"]
        assert [place["name"] for place in history["Locations"]] == ["Brücke"]
        observation = {"phenomenonTime": "2026-11-26T10:00:00Z", "result": 142}
        created = _post(
            client,
            f"{url}Datastreams({stream['@iot.id']})/Observations",
            observation,
            tokens["haldensleben"],
        )
        assert created.status_code == 201, created.content
        assert created.json()["result"] == 142.0
        generated = get(client, f"Observations({created.json()['@iot.id']})/FeatureOfInterest")
        assert generated.json()["name"] == "Brücke"  # from the Thing's Location
        named = _post(
            client,
            f"{url}Datastreams({stream['@iot.id']})/Observations",
            {
                **observation,
                "phenomenonTime": "2026-11-26T11:00:00Z",
                "FeatureOfInterest": {
                    "name": "Pegellatte",
                    "encodingType": "application/geo+json",
                    "feature": {"type": "Point", "coordinates": [11.421, 52.291]},
                },
            },
            tokens["haldensleben"],
        )
        assert named.status_code == 201, named.content
        # A feature the writer names is its tenant's (a generated one is as open as its Thing).
        path = f"Observations({named.json()['@iot.id']})/FeatureOfInterest"
        assert get(client, path, tokens["haldensleben"]).json()["name"] == "Pegellatte"
        assert get(client, path).status_code == 404
        latest = client.get("/api/v1/t/haldensleben/sensoren/aktuell.json").json()["datastreams"]
        assert {d["datastream"]: d["result"] for d in latest}[stream["@iot.id"]] == 142.0
        bad = [
            ({"phenomenonTime": "2026-11-26T10:00:00Z", "result": "hoch"}, "expected a number"),
            ({"result": 1}, "phenomenonTime"),
            ({"phenomenonTime": "2026-11-26T10:00:00Z"}, "result is missing"),
        ]
        for body, message in bad:
            refused = _post(
                client,
                f"{url}Datastreams({stream['@iot.id']})/Observations",
                body,
                tokens["haldensleben"],
            )
            assert refused.status_code == 400
            assert message in refused.json()["message"]
        other = data["barleben"].streams["co2"].pk
        into_other = f"{STA}/Datastreams({other})/Observations"
        # Barleben's station is private: to Haldensleben's editor it does not exist.
        assert _post(client, into_other, observation, tokens["haldensleben"]).status_code == 404
        with system_context():
            Thing.objects.filter(pk=data["barleben"].thing.pk).update(public=True)
        assert _post(client, into_other, observation, tokens["haldensleben"]).status_code == 403
        assert _post(client, url + "Things", "{kaputt", tokens["haldensleben"]).status_code == 400
        assert (
            _post(client, url + "Things", {"name": ""}, tokens["haldensleben"]).status_code == 400
        )
        with system_context():
            assert Thing.objects.filter(name="").count() == 0

    def test_changing_and_deleting_with_what_depends_on_it(self, client, data, tokens):
        token, url = tokens["haldensleben"], "/t/haldensleben/sta/v1.1/"
        made = _post(client, url + "Things", THING, token).json()
        thing = made["@iot.id"]
        [stream] = get(client, f"Things({thing})/Datastreams", token).json()["value"]
        observations = url + f"Datastreams({stream['@iot.id']})/Observations"
        for day, value in ((1, 10), (2, 12.5), (3, 14)):
            body = {"phenomenonTime": f"2026-11-0{day}T08:00:00Z", "result": value}
            assert _post(client, observations, body, token).status_code == 201
        served = get(client, f"Datastreams({stream['@iot.id']})/Observations", token).json()
        assert [o["result"] for o in served["value"]] == [10, 12.5, 14]
        assert json.dumps(served).count('"result": 10,') == 1  # 10, not 10.0

        def patch(path, body, who=token):
            headers = {"authorization": f"Bearer {who}"} if who else {}
            return client.patch(
                url + path, json.dumps(body), content_type="application/json", headers=headers
            )

        assert patch(f"Things({thing})", {"description": "neu"}, who=None).status_code == 401
        assert patch(
            f"Things({thing})", {"description": "neu"}, tokens["barleben"]
        ).status_code in (
            403,
            404,
        )
        changed = patch(f"Things({thing})", {"description": "neu", "properties": {"km": 3}})
        assert changed.status_code == 200, changed.content
        assert (changed.json()["description"], changed.json()["properties"]) == ("neu", {"km": 3})
        assert patch(f"Things({thing})", {"colour": "rot"}).status_code == 400
        inline = {"Locations": [{"name": "x", "encodingType": "application/geo+json"}]}
        assert patch(f"Things({thing})", inline).status_code == 400
        # New Locations replace the old ones and are recorded as a HistoricalLocation.
        place = _post(
            client,
            url + "Locations",
            {
                "name": "Wehr",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [11.43, 52.3]},
            },
            token,
        ).json()
        assert (
            patch(f"Things({thing})", {"Locations": [{"@iot.id": place["@iot.id"]}]}).status_code
            == 200
        )
        now = get(client, f"Things({thing})/Locations", token).json()["value"]
        assert [p["name"] for p in now] == ["Wehr"]
        history = get(
            client, f"Things({thing})/HistoricalLocations", token, **{"$expand": "Locations"}
        )
        assert sorted(h["Locations"][0]["name"] for h in history.json()["value"]) == [
            "Brücke",
            "Wehr",
        ]
        # Moving the newest observation back a month: the latest value follows.
        newest = served["value"][-1]["@iot.id"]
        moved = patch(f"Observations({newest})", {"phenomenonTime": "2026-10-01T08:00:00Z"})
        assert moved.status_code == 200, moved.content
        latest = client.get("/api/v1/t/haldensleben/sensoren/aktuell.json").json()["datastreams"]
        assert {d["datastream"]: d["result"] for d in latest}[stream["@iot.id"]] == 12.5
        # Deleting the Sensor deletes its Datastream and the Datastream's Observations.
        [sensor] = [get(client, f"Datastreams({stream['@iot.id']})/Sensor", token).json()]
        gone = client.delete(
            url + f"Sensors({sensor['@iot.id']})", headers={"authorization": f"Bearer {token}"}
        )
        assert gone.status_code == 200
        assert get(client, f"Datastreams({stream['@iot.id']})", token).status_code == 404
        with system_context():
            assert not Observation.objects.filter(datastream_id=stream["@iot.id"]).exists()
            assert Thing.objects.filter(pk=thing).exists()  # the Thing stays
        again = client.delete(
            url + f"Sensors({sensor['@iot.id']})", headers={"authorization": f"Bearer {token}"}
        )
        assert again.status_code == 404

    def test_filters_compare_as_the_standard_says(self, client, data, tokens):
        stream = data["haldensleben"].streams["temperature"]
        rows = [
            ingest.Row(
                stream.tenant_id,
                stream.pk,
                dt.datetime(2026, 3, n, tzinfo=dt.UTC),
                float(n),
                None,
                f"n{n}",
            )
            for n in range(1, 13)
        ]
        with system_context(), connection.cursor() as cursor:
            ingest.write(cursor.cursor, rows)
        path = f"Datastreams({stream.pk})/Observations"
        # A text literal compares the result as text: '4' … '9' are greater than '3'.
        march = (
            " and phenomenonTime ge 2026-03-01T00:00:00Z and phenomenonTime lt 2026-04-01T00:00:00Z"
        )
        texts = get(client, path, **{"$filter": "result gt '3'" + march}).json()["value"]
        assert sorted(o["result"] for o in texts) == [4, 5, 6, 7, 8, 9]
        numbers = get(client, path, **{"$filter": "result gt 3" + march}).json()["value"]
        assert sorted(o["result"] for o in numbers) == list(range(4, 13))
        # ne leaves out what has no value (resultTime is null everywhere here).
        unequal = get(client, path, **{"$filter": "resultTime ne 2026-03-01T00:00:00Z"}).json()[
            "value"
        ]
        assert unequal == []


class TestDataArray:
    """Conformance class A.6 Data Array Extension: Observations as dataArray."""

    def test_observations_as_data_array(self, client, data):
        streams = data["haldensleben"].streams
        _more_observations(streams["temperature"])
        answer = get(
            client,
            "Observations",
            **{"$resultFormat": "dataArray", "$orderby": "phenomenonTime,id", "$top": "5"},
        ).json()
        groups = {g["Datastream@iot.navigationLink"]: g for g in answer["value"]}
        temperature = groups[f"http://testserver{STA}/Datastreams({streams['temperature'].pk})"]
        assert temperature["components"] == ["id", "phenomenonTime", "result", "resultTime"]
        assert [row[1:] for row in temperature["dataArray"]] == [
            ["2023-05-22T07:47:05.404859Z", 28.0, None],
            ["2023-05-22T08:00:00Z", 1.0, "2023-05-22T08:00:01.500000Z"],
        ]
        assert temperature["dataArray@iot.count"] == 2
        assert sum(g["dataArray@iot.count"] for g in answer["value"]) == 5
        assert "%24resultFormat=dataArray" in answer["@iot.nextLink"]
        assert "%24skip=5" in answer["@iot.nextLink"]
        one = get(
            client,
            f"Datastreams({streams['co2'].pk})/Observations",
            **{"$resultFormat": "dataArray", "$select": "result,phenomenonTime"},
        ).json()["value"]
        assert one == [
            {
                "Datastream@iot.navigationLink": f"http://testserver{STA}/Datastreams({streams['co2'].pk})",
                "components": ["phenomenonTime", "result"],
                "dataArray@iot.count": 1,
                "dataArray": [["2023-05-22T07:47:05.404859Z", 453.0]],
            }
        ]
        for path, query in [
            ("Things", {"$resultFormat": "dataArray"}),
            ("Observations", {"$resultFormat": "dataArray", "$expand": "Datastream"}),
            ("Observations", {"$resultFormat": "CSV"}),
            ("Datastreams", {"$expand": "Observations($resultFormat=dataArray)"}),
        ]:
            refused = get(client, path, **query)
            assert refused.status_code == 400, (path, query)
            assert "resultFormat" in refused.json()["message"]


class TestTenantAccess:
    """Beyond the standard: the hub's tenants and limits (private Things, visibility through
    links, answer size)."""

    def test_private_things_are_for_their_tenant_only(self, client, data, tokens):
        theirs = data["barleben"].thing.pk
        assert get(client, f"Things({theirs})").status_code == 404
        assert get(client, f"Things({theirs})", tokens["haldensleben"]).status_code == 404
        assert get(client, f"Things({theirs})", tokens["barleben"]).status_code == 200
        hidden = data["barleben"].streams["co2"].pk
        assert get(client, f"Datastreams({hidden})/Observations").status_code == 404
        mine = get(client, "Things", tokens["barleben"], **{"$select": "name"}).json()["value"]
        assert sorted(t["name"] for t in mine) == [
            "Luftmessstation Markt",
            "Luftmessstation Rathaus",
        ]
        # The tenant's own root shows only that tenant.
        there = client.get("/t/haldensleben/sta/v1.1/Things", headers={}).json()["value"]
        assert [t["name"] for t in there] == ["Luftmessstation Markt"]

    def test_observations_of_a_datastream_keep_its_visibility(self, client, data, tokens):
        """Observations reached through a Datastream are selected by its id alone, once the
        Datastream itself was found readable: its privacy and its tenant still hold."""
        hidden = data["barleben"].streams["co2"]
        when = dt.datetime(2023, 5, 22, 9, 0, tzinfo=dt.UTC)
        with system_context(), connection.cursor() as cursor:
            ingest.write(
                cursor.cursor, [ingest.Row(hidden.tenant_id, hidden.pk, when, 612.0, None, "x")]
            )
        url = f"Datastreams({hidden.pk})/Observations"
        assert get(client, url).status_code == 404
        assert get(client, url, tokens["haldensleben"]).status_code == 404
        assert [o["result"] for o in get(client, url, tokens["barleben"]).json()["value"]] == [
            612.0
        ]
        path = f"Things({data['barleben'].thing.pk})/Datastreams({hidden.pk})/Observations"
        assert get(client, path, tokens["haldensleben"]).status_code == 404
        mine = data["haldensleben"].streams["co2"]
        assert [
            o["result"] for o in get(client, f"Datastreams({mine.pk})/Observations").json()["value"]
        ] == [453.0]
        # Another tenant's root does not reach them either.
        there = client.get(f"/t/barleben/sta/v1.1/Datastreams({mine.pk})/Observations")
        assert there.status_code == 404
        expanded = get(
            client,
            "Datastreams",
            tokens["haldensleben"],
            **{"$expand": "Observations($select=result)"},
        ).json()["value"]
        assert {d["@iot.id"] for d in expanded} == {
            s.pk for s in data["haldensleben"].streams.values()
        }
        assert sum(len(d["Observations"]) for d in expanded) == 4

    def test_an_answer_too_large_is_refused_with_what_to_ask_instead(
        self, client, data, monkeypatch
    ):
        """Like FROST-Server's maxDataSize, made small here: each query costs QUERY_COST and each
        entity 1, and nested $expand runs one query per entity."""
        from hub.sensors.sta import read as views

        expanded = {"$expand": "Datastreams($expand=Observations)"}
        whole = get(client, "Things", **expanded)
        assert whole.status_code == 200
        datastreams = sum(len(t["Datastreams"]) for t in whole.json()["value"])
        assert datastreams >= 2
        monkeypatch.setattr(views, "MAX_COST", views.QUERY_COST * (1 + datastreams))
        answer = get(client, "Things", **expanded)
        assert answer.status_code == 400
        assert "answer would be too large" in answer.json()["message"]
        assert "$top" in answer.json()["message"]
        assert get(client, "Things").status_code == 200  # without $expand it fits
