# SPDX-License-Identifier: EUPL-1.2
"""What accounts tell the layers above them, without knowing them."""

from django.dispatch import Signal

# A person signed in (or was silently renewed) with these verified token claims:
# send(sender=User, user=user, claims=claims). Tenancy rewrites their memberships from them.
claims_received = Signal()
