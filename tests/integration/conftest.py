# SPDX-License-Identifier: EUPL-1.2
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def stack():
    """Drive the local stack's services (stop/start one) through deploy/local/stack.sh."""

    def run(*args: str) -> str:
        done = subprocess.run(
            ["bash", str(ROOT / "deploy/local/stack.sh"), *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    return run
