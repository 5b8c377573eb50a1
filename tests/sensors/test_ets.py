# SPDX-License-Identifier: EUPL-1.2
"""The official OGC conformance suite for SensorThings (ets-sta10 1.5, TestNG, fetched by
`make up` into var/dist) against the stack's running hub, as a client outside sees it.

Level 1 (Sensing Core) reads what `make up` seeded: every entity set must hold entities, the
first of each linked all the way (a Thing's HistoricalLocations, an Observation's
FeatureOfInterest), `$ref`, `$value`, addressing. Levels 2 (Create-Update-Delete) and 3
(Filtering) delete every entity they can see and expect an empty service: they are not run
here yet; docs/dev/sta-conformance.md lists what they check and what the hub still lacks.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

JAR = Path(settings.STATE_DIR) / "dist" / "ets-sta10-1.5-aio.jar"
TIMEOUT = 900  # a run takes ~20 s here; a busy machine gets time, not a flaky failure


def _results(home: Path) -> ET.Element:
    [found] = home.glob("testng/*/testng-results.xml")
    return ET.parse(found).getroot()


def run_level(level: int, iut: str, home: Path) -> dict[str, list[tuple[str, str]]]:
    """{status: [(test, message)]} of one conformance level's tests (config methods aside)."""
    props = home / "test-run-props.xml"
    # No DOCTYPE: the properties DTD would be fetched from java.sun.com.
    props.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<properties version="1.0">\n'
        f'  <entry key="iut">{iut}</entry>\n  <entry key="ics">{level}</entry>\n</properties>\n'
    )
    java = shutil.which("java")
    assert java, "java is missing (make up installs openjdk-17-jre-headless)"
    subprocess.run(
        [java, f"-Duser.home={home}", "-jar", str(JAR), str(props)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    outcome: dict[str, list[tuple[str, str]]] = {"PASS": [], "FAIL": [], "SKIP": []}
    for test in _results(home).iter("test"):
        if test.get("name") != f"Conformance Level {level}":
            continue
        for method in test.iter("test-method"):
            if method.get("is-config") == "true":
                continue
            exception = method.find("exception")
            message = "" if exception is None else (exception.findtext("message") or "").strip()
            outcome[method.get("status")].append((method.get("name"), message[:500]))
    return outcome


def test_sensing_core_passes_the_official_suite(tmp_path):
    assert JAR.exists(), f"{JAR} is missing: `make up` fetches it from Maven Central"
    outcome = run_level(1, f"{settings.CONFIG['HUB_PUBLIC_URL'].rstrip('/')}/sta/v1.1", tmp_path)
    failed = [f"{name}: {message}" for name, message in outcome["FAIL"] + outcome["SKIP"]]
    assert not failed, "\n".join(failed)
    assert len(outcome["PASS"]) == 6  # the six tests of level 1 in ets-sta10 1.5
