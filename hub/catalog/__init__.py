# SPDX-License-Identifier: EUPL-1.2
"""The catalogue bridge: the hub's public data sets become CKAN datasets (DESIGN flow 4)."""
