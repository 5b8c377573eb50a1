# SPDX-License-Identifier: EUPL-1.2
"""Single sign-on for CKAN through the region's Keycloak realm (authorization code + PKCE)."""
