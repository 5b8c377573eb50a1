# SPDX-License-Identifier: EUPL-1.2
"""Tenants as data: one YAML file per tenant, its schema, and the reconcilers that apply them."""
