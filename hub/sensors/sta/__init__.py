# SPDX-License-Identifier: EUPL-1.2
"""The OGC SensorThings API v1.1 (sensing part) at /sta/v1.1/ and /t/<slug>/sta/v1.1/."""
