# SPDX-License-Identifier: EUPL-1.2
"""Dataset search on PostgreSQL full-text search, so that CKAN runs without Solr (ADR 0006)."""
