# SPDX-License-Identifier: EUPL-1.2
"""CKAN extension of the Regional Data Hub of the municipalities around Haldensleben."""
