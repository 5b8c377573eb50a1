# SPDX-License-Identifier: EUPL-1.2
"""A throwaway app: what a new app registers, and nothing else (tests/core/test_registry.py)."""
