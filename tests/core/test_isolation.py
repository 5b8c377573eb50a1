# SPDX-License-Identifier: EUPL-1.2
"""Tenant isolation as a matrix built from the registry: every endpoint and page the apps
register (API, Open311, SensorThings, webhooks, HTML pages), crossed with the callers who must
be refused and with a tenant's private rows, made by each app's own sample maker.

- Another tenant's staff (editor, moderator, tenant admin and developer of Hohe Börde), a
  citizen of Haldensleben and an anonymous visitor are refused wherever a role on Haldensleben
  is needed: 401/403/404, or for a page a redirect to sign in, and no row anywhere changes.
- Whatever holds a secret (a reporter's token, a webhook secret) refuses a wrong one.
- No answer to any of them, public pages and open data included, contains a sample's marker:
  a string the apps wrote into private rows only.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from django.apps import apps
from django.test import Client

from hub.accounts import auth
from hub.core import access
from hub.core.registry import PAGE
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, TenantOwned
from tests.core.endpoints import Endpoint, make_samples, registered

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
TARGET, OTHER = "haldensleben", "hohe-boerde"
STAFF_ROLES = ("editor", "moderator", "tenant-admin", "developer")
REFUSED = {401, 403, 404, 405}
SIGN_IN = "/oidc/authenticate/"


def _rows() -> Counter:
    """How many rows every tenant-owned table holds (the check that nothing was written)."""
    with system_context():
        return Counter(
            {
                model._meta.label: model._base_manager.count()
                for model in apps.get_models()
                if issubclass(model, TenantOwned) and not model._meta.abstract
            }
        )


@pytest.fixture
def world(seeded, token_realm, monkeypatch, django_user_model):
    """The target tenant's private samples and the three callers, each a client of their own
    carrying a signed-in session (pages) and a Bearer token (API, SensorThings)."""
    verifier = token_realm.verifier()
    monkeypatch.setattr(auth, "verifier", lambda: verifier)
    target = seeded[TARGET]
    values, markers = make_samples(target)

    def person(name, grants):
        user = django_user_model.objects.create_user(f"{name}-{uuid.uuid4().hex[:6]}")
        with system_context():
            for slug, role in grants:
                Membership.objects.create(user=user, tenant=seeded[slug], role=role)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        token = token_realm.forge(
            azp="hub",
            preferred_username=user.username,
            groups=[f"/tenants/{slug}/{role}" for slug, role in grants],
            organization=sorted({slug for slug, role in grants if role != "citizen"}),
        )
        return client, token

    callers = {
        "other tenant's staff": person("kollegin", [(OTHER, r) for r in STAFF_ROLES]),
        "citizen": person("buerger", [(TARGET, "citizen")]),
        "anonymous": (Client(), None),
    }
    return values, markers, callers


def _call(client, token, method, url):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(method, url, b"{}", content_type="application/json", headers=headers)


def _refused(endpoint: Endpoint, response, method: str) -> bool:
    if response.status_code in REFUSED:
        return True
    # A write that names no tenant in its path (SensorThings at the region's address) is
    # refused as malformed: it cannot say whom it would write to.
    if method != "GET" and "slug" not in endpoint.params and response.status_code == 400:
        return True
    # A page sends an anonymous visitor to sign in first.
    return (
        endpoint.surface == PAGE
        and response.status_code == 302
        and SIGN_IN in response.get("Location", "")
    )


def _values_for(endpoint: Endpoint, values: dict) -> dict:
    return values.get(endpoint.sample, {"slug": TARGET})


def test_every_registered_endpoint_declares_who_may_use_it():
    undeclared = [str(e) for e in registered() if e.access.read is None and e.access.write is None]
    assert not undeclared, f"endpoints without an access declaration: {undeclared}"


def test_the_matrix_reaches_every_surface():
    surfaces = {e.surface for e in registered()}
    assert {"page", "api", "open311", "sensorthings", "webhook"} <= surfaces
    names = {e.name for e in registered()}
    assert "participation:moderation" in names
    assert "sta:tenant" in names
    assert "sensor_webhooks:uplink" in names
    assert "open311:requests" in names


def check(
    endpoints, values: dict, markers: list[str], caller: str, client, token
) -> tuple[list[str], int]:
    """Every call of the matrix for one caller: (problems found, calls made)."""
    problems = []
    checked = 0
    for endpoint in endpoints:
        kwargs = _values_for(endpoint, values)
        for method in endpoint.methods:
            try:
                url = endpoint.url(kwargs, method)
            except KeyError as exc:
                problems.append(str(exc))
                continue
            rule = endpoint.rule(method)
            needs_role = access.role_set_of(rule) is not None
            # Signed in: anonymous visitors are refused; a person's own thing (named by the
            # declaration's parameter) is refused to everybody else too.
            signed_in_only = rule == access.SIGNED_IN and (
                caller == "anonymous" or bool(endpoint.access.holder_param)
            )
            target = url
            if rule == access.HOLDER and endpoint.access.holder_param:
                target = endpoint.url({**kwargs, **_wrong_secret(endpoint)}, method)
            guarded = needs_role or signed_in_only or rule == access.HOLDER
            before = _rows() if guarded else None
            response = _call(client, token, method, target)
            checked += 1
            body = response.content.decode("utf-8", "replace")
            leaked = [m for m in markers if m in body]
            if leaked:
                problems.append(f"{method} {target} ({endpoint}): shows private {leaked}")
            if before is None:
                if response.status_code >= 500:
                    problems.append(f"{method} {target} ({endpoint}): {response.status_code}")
                continue
            if not _refused(endpoint, response, method):
                problems.append(
                    f"{method} {target} ({endpoint}, {rule}): {response.status_code}, not refused"
                )
            after = _rows()
            if after != before:
                changed = {k: after[k] - before[k] for k in after | before if after[k] != before[k]}
                problems.append(f"{method} {target} ({endpoint}): wrote {changed}")
    return problems, checked


@pytest.mark.parametrize("caller", ["other tenant's staff", "citizen", "anonymous"])
def test_no_caller_without_a_role_reaches_private_data(world, caller):
    values, markers, callers = world
    client, token = callers[caller]
    problems, checked = check(registered(), values, markers, caller, client, token)
    assert checked > 50, f"only {checked} calls: is the registry empty?"
    assert not problems, "\n".join(problems)


def _wrong_secret(endpoint: Endpoint) -> dict:
    """A holder endpoint's secret replaced by one nobody holds (a header secret is just not
    sent: the callers of the matrix never send one)."""
    param = endpoint.access.holder_param
    return {param: str(uuid.uuid4())} if param else {}
