# SPDX-License-Identifier: EUPL-1.2
"""A real OpenTripPlanner 2.8.1 beside the hub, for the OTP backend's test and the bench: the
jar from Maven Central (cached in ~/.cache/hub-otp, checked against Maven's SHA-1), a Java 21+
of the machine (Temurin), a graph built from the hub's merged regional feed with the feed id
`hub`, and the server on a free local port until the context ends."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

VERSION = "2.8.1"
MAVEN = "https://repo1.maven.org/maven2/org/opentripplanner/otp-shaded"
CACHE = Path(os.environ.get("HUB_OTP_CACHE", Path.home() / ".cache" / "hub-otp"))
READY_SECONDS = 300


def java() -> Path | None:
    """A java of version 21 or later: $HUB_OTP_JAVA, else one of /usr/lib/jvm."""
    candidates = [os.environ.get("HUB_OTP_JAVA", "")]
    candidates += sorted(str(p / "bin" / "java") for p in Path("/usr/lib/jvm").glob("*"))
    for candidate in filter(None, candidates):
        if not Path(candidate).is_file():
            continue
        shown = subprocess.run(
            [candidate, "-version"], capture_output=True, text=True, check=False
        ).stderr
        found = re.search(r'version "(\d+)', shown)
        if found and int(found.group(1)) >= 21:
            return Path(candidate)
    return None


def jar() -> Path:
    """The OTP jar, fetched once (177 MB) and checked against Maven Central's SHA-1."""
    target = CACHE / f"otp-shaded-{VERSION}.jar"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    url = f"{MAVEN}/{VERSION}/otp-shaded-{VERSION}.jar"
    expected = requests.get(f"{url}.sha1", timeout=60).text.split()[0]
    digest = hashlib.sha1()  # noqa: S324 - Maven Central publishes SHA-1 checksums
    partial = target.with_suffix(".part")
    with requests.get(url, stream=True, timeout=60) as answer, partial.open("wb") as out:
        answer.raise_for_status()
        for chunk in answer.iter_content(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        partial.unlink()
        raise RuntimeError(f"{url}: SHA-1 {digest.hexdigest()} is not Maven's {expected}")
    partial.replace(target)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(feed: bytes, *, heap: str = "384m"):
    """OTP serving a graph of `feed` (a GTFS zip); yields the GraphQL URL and the process."""
    binary = java()
    if binary is None:
        raise RuntimeError("OpenTripPlanner needs Java 21 or later (the machine's Temurin JDK)")
    folder = Path(tempfile.mkdtemp(prefix="hub-otp-"))
    try:
        (folder / "regional-gtfs.zip").write_bytes(feed)
        (folder / "build-config.json").write_text(
            json.dumps(
                {
                    "transitModelTimeZone": "Europe/Berlin",
                    "transitFeeds": [
                        {"type": "gtfs", "source": "regional-gtfs.zip", "feedId": "hub"}
                    ],
                }
            )
        )
        options = [str(binary), f"-Xmx{heap}", "-XX:+UseSerialGC", "-jar", str(jar())]
        subprocess.run(
            [*options, "--build", "--save", str(folder)],
            check=True,
            capture_output=True,
            timeout=600,
        )
        port = _free_port()
        log = (folder / "serve.log").open("wb")
        process = subprocess.Popen(
            [*options, "--load", "--port", str(port), str(folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/otp/gtfs/v1"
        try:
            _wait_until_ready(url, process, folder)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(url: str, process: subprocess.Popen, folder: Path) -> None:
    """Until OTP answers a GraphQL query (it loads the graph first), or fails."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"OTP ended: {(folder / 'serve.log').read_text()[-2000:]}")
        try:
            answer = requests.post(url, json={"query": "{ feeds { feedId } }"}, timeout=5)
            if answer.ok and "hub" in answer.text:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)  # polling a condition (the server answering), not waiting a fixed time
    raise RuntimeError(f"OTP did not answer within {READY_SECONDS} s")
