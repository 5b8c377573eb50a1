# SPDX-License-Identifier: EUPL-1.2
from tests.consultations.conftest import consultation, people  # noqa: F401 - the fixtures, shared
from tests.participation.conftest import address, categories  # noqa: F401 - the fixtures, shared
