# SPDX-License-Identifier: EUPL-1.2
"""Unit tests of parsers and pure logic: no service, no database, no socket (pytest-socket).

Every test here is marked `unit`; `pytest -m unit` runs them on a machine without the stack.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/unit/" in item.nodeid:
            item.add_marker(pytest.mark.unit)
            item.add_marker(pytest.mark.disable_socket)
