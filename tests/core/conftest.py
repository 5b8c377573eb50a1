# SPDX-License-Identifier: EUPL-1.2
from tests.identity.conftest import token_realm  # noqa: F401 - the fixture, shared
