# SPDX-License-Identifier: EUPL-1.2
"""Reconcile the tenant files with the region's Keycloak realm (identity/realm.py).

Only what the model names is compared and written; users are never touched, and a tenant whose
file is gone gets its organization disabled, not deleted.
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakError, KeycloakGetError

from hub.config import layered_environ
from identity import realm as realm_model
from identity.keycloak import admin_client
from tenants.reconcile.base import Change, Diff, FieldChange
from tenants.spec import DesiredTenant

CLIENT_SKIP = {"secret", "mappers", "defaultClientScopes"}
IDP_SKIP = {"secret", "mappers", "config"}


def realm_settings() -> realm_model.RealmSettings:
    return realm_model.RealmSettings(
        realm=settings.HUB_KEYCLOAK["realm"],
        hub_url=settings.HUB_PUBLIC_URL,
        ckan_url=settings.HUB_CKAN_URL,
        api_audience=settings.HUB_KEYCLOAK["audience"],
        hub_client_secret=settings.HUB_KEYCLOAK["client_secret"],
        ckan_client_secret=settings.HUB_KEYCLOAK["ckan_client_secret"],
        ogc_client_secret=settings.HUB_KEYCLOAK["ogc_client_secret"],
    )


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return sorted(map(str, current or [])) != sorted(map(str, wanted))
    if isinstance(wanted, dict):
        current = current or {}
        return any(_differs(current.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, bool):
        return current is not wanted
    return current != wanted


def _field_changes(current: dict, wanted: dict, skip: set[str] = frozenset()) -> list[FieldChange]:
    return [
        FieldChange(key, current.get(key), value)
        for key, value in wanted.items()
        if key not in skip and _differs(current.get(key), value)
    ]


class KeycloakTarget:
    name = "keycloak"

    def __init__(self, admin: KeycloakAdmin | None = None):
        self._admin = admin

    @property
    def admin(self) -> KeycloakAdmin:
        if self._admin is None:
            self._admin = admin_client()
        return self._admin

    # -- plan ---------------------------------------------------------------------------------

    def plan(self, desired: list[DesiredTenant]) -> Diff:
        model = realm_model.build(desired, realm_settings(), layered_environ())
        diff = Diff(desired={"model": model})
        add = diff.changes.append
        name = model.realm["realm"]
        try:
            current_realm = self.admin.get_realm(name)
        except KeycloakGetError as exc:
            if exc.response_code != 404:
                raise
            current_realm = None
        if current_realm is None:
            add(Change("keycloak", "create", f"realm {name}"))
            current = _Empty()
        else:
            fields = _field_changes(current_realm, model.realm)
            if fields:
                add(Change("keycloak", "update", f"realm {name}", tuple(fields)))
            current = _Current(self.admin, name)

        self._plan_roles_and_groups(model, current, add)
        self._plan_clients(model, current, add)
        self._plan_idps(model, current, add)
        self._plan_organizations(model, current, add)
        return diff

    def _plan_roles_and_groups(self, model, current, add) -> None:
        for role in model.roles:
            if role not in current.roles():
                add(Change("keycloak", "create", f"role {role}"))
        for slug, roles in model.groups.items():
            missing = [r for r in roles if not current.group_has_role(slug, r)]
            if missing:
                add(
                    Change(
                        "keycloak",
                        "update" if current.group_exists(slug) else "create",
                        f"groups {slug}",
                        (FieldChange("roles", None, missing),),
                    )
                )

    def _plan_clients(self, model, current, add) -> None:
        for client_id, wanted in model.clients.items():
            have = current.client(client_id)
            if have is None:
                add(Change("keycloak", "create", f"client {client_id}"))
                continue
            fields = _field_changes(have, wanted, CLIENT_SKIP)
            if "secret" in wanted and current.client_secret(have["id"]) != wanted["secret"]:
                fields.append(
                    FieldChange("secret", None, None, summary="rotated to the configured value")
                )
            # A scope the client may request (default or optional) is there; OIDC_RP_SCOPES asks.
            available = set(have.get("defaultClientScopes", [])) | set(
                have.get("optionalClientScopes", [])
            )
            scopes = set(wanted.get("defaultClientScopes", [])) - available
            if scopes:
                fields.append(FieldChange("defaultClientScopes", None, sorted(scopes)))
            fields += self._mapper_changes(
                have.get("protocolMappers", []), wanted["mappers"], "protocolMapper"
            )
            if fields:
                add(Change("keycloak", "update", f"client {client_id}", tuple(fields)))

    def _plan_idps(self, model, current, add) -> None:
        for alias, wanted in model.idps.items():
            have = current.idp(alias)
            if have is None:
                add(Change("keycloak", "create", f"idp {alias}"))
                continue
            fields = _field_changes(have, wanted, IDP_SKIP)
            fields += [
                FieldChange(f"config.{k}", have["config"].get(k), v)
                for k, v in wanted["config"].items()
                if have["config"].get(k) != v
            ]
            fields += self._mapper_changes(
                current.idp_mappers(alias), wanted["mappers"], "identityProviderMapper"
            )
            if fields:
                add(Change("keycloak", "update", f"idp {alias}", tuple(fields)))

    def _plan_organizations(self, model, current, add) -> None:
        for alias, wanted in model.organizations.items():
            have = current.organization(alias)
            if have is None:
                add(Change("keycloak", "create", f"organization {alias}"))
                continue
            fields = _field_changes(
                have, {k: v for k, v in wanted.items() if k not in ("domains", "idp")}
            )
            domains = sorted(d["name"] for d in have.get("domains", []))
            if domains != wanted["domains"]:
                fields.append(FieldChange("domains", domains, wanted["domains"]))
            linked = current.organization_idps(have["id"])
            if wanted["idp"] and wanted["idp"] not in linked:
                fields.append(FieldChange("identity provider", linked, [wanted["idp"]]))
            if fields:
                action = "reactivate" if not have.get("enabled") else "update"
                add(Change("keycloak", action, f"organization {alias}", tuple(fields)))
        for alias, have in current.organizations().items():
            if alias not in model.organizations and have.get("enabled"):
                add(
                    Change(
                        "keycloak",
                        "deactivate",
                        f"organization {alias}",
                        (FieldChange("enabled", True, False),),
                    )
                )

    @staticmethod
    def _mapper_changes(have: list[dict], wanted: list[dict], kind: str) -> list[FieldChange]:
        by_name = {m["name"]: m for m in have}
        changes = []
        for mapper in wanted:
            current = by_name.get(mapper["name"])
            if (
                current is None
                or current.get(kind) != mapper[kind]
                or _differs(current.get("config"), mapper["config"])
            ):
                changes.append(
                    FieldChange(
                        f"mapper {mapper['name']!r}",
                        None,
                        None,
                        summary="missing" if current is None else "changed",
                    )
                )
        return changes

    # -- apply --------------------------------------------------------------------------------

    def apply(self, diff: Diff, *, actor: str) -> None:
        model: realm_model.RealmModel = diff.desired["model"]
        admin = self.admin
        name = model.realm["realm"]
        for change in diff.changes:
            kind, _, key = change.slug.partition(" ")
            admin.change_current_realm("master")
            if kind == "realm":
                if change.action == "create":
                    admin.create_realm(model.realm)
                else:
                    admin.update_realm(name, model.realm)
                continue
            admin.change_current_realm(name)
            try:
                getattr(self, f"_apply_{kind}")(admin, change, key, model)
            except KeycloakError as exc:
                raise KeycloakError(f"{change.slug}: {exc}") from exc
        admin.change_current_realm("master")

    def _apply_role(self, admin, change, role, model) -> None:
        admin.create_realm_role({"name": role, "description": f"Hub role {role}"}, skip_exists=True)

    def _apply_groups(self, admin, change, slug, model) -> None:
        top = _group(admin, f"/{realm_model.TENANTS_GROUP}", {"name": realm_model.TENANTS_GROUP})
        tenant = _group(admin, f"/{realm_model.TENANTS_GROUP}/{slug}", {"name": slug}, top)
        for role in model.groups[slug]:
            group = _group(
                admin, f"/{realm_model.TENANTS_GROUP}/{slug}/{role}", {"name": role}, tenant
            )
            if role not in {r["name"] for r in admin.get_group_realm_roles(group)}:
                admin.assign_group_realm_roles(group, [admin.get_realm_role(role)])

    def _apply_client(self, admin, change, client_id, model) -> None:
        wanted = model.clients[client_id]
        payload = {k: v for k, v in wanted.items() if k not in ("mappers", "defaultClientScopes")}
        if change.action == "create":
            admin.create_client(payload)
        client_uuid = admin.get_client_id(client_id)
        admin.update_client(client_uuid, payload)
        existing = {m["name"]: m for m in admin.get_mappers_from_client(client_uuid)}
        for mapper in wanted["mappers"]:
            if mapper["name"] in existing:
                admin.update_client_mapper(
                    client_uuid,
                    existing[mapper["name"]]["id"],
                    {**existing[mapper["name"]], **mapper},
                )
            else:
                admin.add_mapper_to_client(client_uuid, mapper)
        if wanted.get("defaultClientScopes"):
            scopes = {s["name"]: s["id"] for s in admin.get_client_scopes()}
            have = {s["name"] for s in admin.get_client_default_client_scopes(client_uuid)} | {
                s["name"] for s in admin.get_client_optional_client_scopes(client_uuid)
            }
            for scope in wanted["defaultClientScopes"]:
                if scope not in have and scope in scopes:
                    admin.add_client_default_client_scope(
                        client_uuid,
                        scopes[scope],
                        {
                            "realm": admin.connection.realm_name,
                            "client": client_uuid,
                            "clientScopeId": scopes[scope],
                        },
                    )

    def _apply_idp(self, admin, change, alias, model) -> None:
        wanted = model.idps[alias]
        discovery = _discovery(wanted["config"]["hub.metadataUrl"])
        config = {
            **wanted["config"],
            "issuer": discovery["issuer"],
            "authorizationUrl": discovery["authorization_endpoint"],
            "tokenUrl": discovery["token_endpoint"],
            "userInfoUrl": discovery.get("userinfo_endpoint", ""),
            "jwksUrl": discovery["jwks_uri"],
            "logoutUrl": discovery.get("end_session_endpoint", ""),
            "useJwksUrl": "true",
            "validateSignature": "true",
        }
        if wanted["secret"]:
            config["clientSecret"] = wanted["secret"]
        payload = {k: v for k, v in wanted.items() if k not in ("mappers", "secret")}
        payload["config"] = config
        if change.action == "create":
            admin.create_idp(payload)
        else:
            admin.update_idp(alias, payload)
        existing = {m["name"]: m for m in admin.get_idp_mappers(alias)}
        for mapper in wanted["mappers"]:
            body = {**mapper, "identityProviderAlias": alias}
            if mapper["name"] in existing:
                current = existing[mapper["name"]]
                admin.update_mapper_in_idp(alias, current["id"], {**current, **body})
            else:
                admin.add_mapper_to_idp(alias, body)

    def _apply_organization(self, admin, change, alias, model) -> None:
        wanted = model.organizations.get(alias)
        orgs = {o["alias"]: o for o in admin.get_organizations({"max": 1000})}
        if change.action == "deactivate":
            admin.update_organization(orgs[alias]["id"], {**orgs[alias], "enabled": False})
            return
        payload = {k: v for k, v in wanted.items() if k != "idp"}
        payload["domains"] = [{"name": d} for d in wanted["domains"]]
        if alias in orgs:
            org_id = orgs[alias]["id"]
            admin.update_organization(org_id, {**orgs[alias], **payload})
        else:
            org_id = admin.create_organization(payload)
        if wanted["idp"]:
            linked = {i["alias"] for i in admin.get_organization_idps(org_id)}
            if wanted["idp"] not in linked:
                admin.organization_idp_add(org_id, wanted["idp"])


def _group(admin: KeycloakAdmin, path: str, payload: dict, parent: str | None = None) -> str:
    try:
        return admin.get_group_by_path(path)["id"]
    except KeycloakGetError:
        return (
            admin.create_group(payload, parent=parent, skip_exists=True)
            or admin.get_group_by_path(path)["id"]
        )


def _discovery(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise KeycloakError(
            f"cannot read the upstream directory's metadata at {url}: {exc}"
        ) from exc


class _Empty:
    """The state of a realm that does not exist yet: nothing."""

    def roles(self):
        return set()

    def group_exists(self, slug):
        return False

    def group_has_role(self, slug, role):
        return False

    def client(self, client_id):
        return None

    def client_secret(self, uuid):
        return None

    def idp(self, alias):
        return None

    def idp_mappers(self, alias):
        return []

    def organization(self, alias):
        return None

    def organization_idps(self, org_id):
        return []

    def organizations(self):
        return {}


class _Current:
    """Reads of the realm's current state, each fetched once per plan."""

    def __init__(self, admin: KeycloakAdmin, realm: str):
        admin.change_current_realm(realm)
        self.admin = admin
        self._roles = {r["name"] for r in admin.get_realm_roles()}
        self._clients = {c["clientId"]: c for c in admin.get_clients()}
        self._idps = {i["alias"]: i for i in admin.get_idps()}
        self._orgs = {o["alias"]: o for o in admin.get_organizations({"max": 1000})}
        self._groups: dict[str, dict[str, set[str]]] = self._read_groups()

    def _read_groups(self) -> dict[str, dict[str, set[str]]]:
        try:
            top = self.admin.get_group_by_path(f"/{realm_model.TENANTS_GROUP}")
        except KeycloakGetError:
            return {}
        groups: dict[str, dict[str, set[str]]] = {}
        for tenant in self.admin.get_group_children(top["id"], {"max": 1000}):
            roles = {}
            for role_group in self.admin.get_group_children(tenant["id"], {"max": 100}):
                roles[role_group["name"]] = {
                    r["name"] for r in self.admin.get_group_realm_roles(role_group["id"])
                }
            groups[tenant["name"]] = roles
        return groups

    def roles(self):
        return self._roles

    def group_exists(self, slug):
        return slug in self._groups

    def group_has_role(self, slug, role):
        return role in self._groups.get(slug, {}).get(role, set())

    def client(self, client_id):
        return self._clients.get(client_id)

    def client_secret(self, uuid):
        return self.admin.get_client_secrets(uuid).get("value")

    def idp(self, alias):
        return self._idps.get(alias)

    def idp_mappers(self, alias):
        return self.admin.get_idp_mappers(alias)

    def organization(self, alias):
        return self._orgs.get(alias)

    def organization_idps(self, org_id):
        return [i["alias"] for i in self.admin.get_organization_idps(org_id)]

    def organizations(self):
        return self._orgs
