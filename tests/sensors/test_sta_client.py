# SPDX-License-Identifier: EUPL-1.2
"""A SensorThings client we did not write (frost-sta-client from PyPI) against the hub."""

from __future__ import annotations

import frost_sta_client as fsc
import pytest

from tests.sensors.conftest import sample
from tests.sensors.test_webhooks import CHIRPSTACK, post

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_frost_client_lists_expands_and_filters(live_server, client, stations):
    assert (
        post(
            client, CHIRPSTACK, sample("chirpstack_v4_up_thingsboard_milesight_am103.json")
        ).status_code
        == 202
    )
    service = fsc.SensorThingsService(f"{live_server.url}/sta/v1.1")
    things = list(service.things().query().expand("Datastreams").list())
    by_name = {t.name: t for t in things}
    thing = by_name["Luftmessstation Markt"]
    assert thing.id == stations["haldensleben"].thing.pk
    assert sorted(d.name for d in thing.datastreams) == sorted(
        s.name for s in stations["haldensleben"].streams.values()
    )
    found = list(service.observations().query().filter("result gt 100").orderby("result").list())
    assert [o.result for o in found] == [453.0]
    stream = service.datastreams().find(stations["haldensleben"].streams["co2"].pk)
    assert stream.unit_of_measurement.symbol == "ppm"
    readings = list(stream.get_observations().query().list())
    assert [o.result for o in readings] == [453.0]
