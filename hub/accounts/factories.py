# SPDX-License-Identifier: EUPL-1.2
"""Factories of accounts (factory-boy): people and their API clients."""

from __future__ import annotations

import uuid

import factory

from hub.accounts.models import ApiClient, User
from hub.core.registry import Sample


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")


class ApiClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiClient

    owner = factory.SubFactory(UserFactory)
    client_id = factory.Sequence(lambda n: f"dev-{uuid.uuid4().hex[:12]}")
    name = factory.Sequence(lambda n: f"App {n}")
    rate_limit = 600


def isolation_sample(tenant) -> Sample:
    """Someone else's API client: no other person may rotate or revoke it."""
    made = ApiClientFactory(name=f"App {uuid.uuid4().hex[:8]}")
    return Sample(kwargs={"client_id": made.client_id})
