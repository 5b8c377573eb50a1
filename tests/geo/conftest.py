# SPDX-License-Identifier: EUPL-1.2
from tests.participation.conftest import categories  # noqa: F401 - the fixture, shared
