# SPDX-License-Identifier: EUPL-1.2
"""People who use the hub: staff of the tenants, developers and citizens."""
