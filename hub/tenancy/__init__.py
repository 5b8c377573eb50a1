# SPDX-License-Identifier: EUPL-1.2
"""Tenancy: tenants, their hierarchy, memberships and roles, tenant context, row-level security."""
