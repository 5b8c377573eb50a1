# SPDX-License-Identifier: EUPL-1.2
"""Tenancy: tenants and their hierarchy, memberships and roles, tenant context and row-level security."""
