# SPDX-License-Identifier: EUPL-1.2
"""Open311 GeoReport v2: `views` (the endpoints), `formats` (JSON and XML), `errors`."""
