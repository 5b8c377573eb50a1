# SPDX-License-Identifier: EUPL-1.2
"""Facts of the seed tenants (tenants/*.yaml) that several tests check against."""

NETWORK = "energieeffizienznetzwerk-mittelland"
NETWORK_MEMBERS = frozenset(
    {
        "barleben",
        "moeser",
        "niedere-boerde",
        "oebisfelde-weferlingen",
        "vg-flechtingen",
        "wolmirstedt",
    }
)
DISTRICT_MEMBERS = frozenset(
    {
        "haldensleben",
        "hohe-boerde",
        "barleben",
        "niedere-boerde",
        "oebisfelde-weferlingen",
        "vg-flechtingen",
        "wolmirstedt",
    }
)
