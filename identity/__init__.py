# SPDX-License-Identifier: EUPL-1.2
"""Identity: Keycloak as the region's identity provider (realm model, reconcile, token checks)."""
