# SPDX-License-Identifier: EUPL-1.2
"""Configuration: read once from the environment; secrets have no defaults."""

from pathlib import Path

import pytest

from hub.config import SETTINGS, ConfigError, configure

CLIENT_SECRETS = {
    "HUB_OIDC_CLIENT_SECRET": "h",
    "HUB_CKAN_CLIENT_SECRET": "c",
    "HUB_OGC_CLIENT_SECRET": "o",
    "HUB_CKAN_API_TOKEN": "t",
    "HUB_OGC_DB_PASSWORD": "g",
    "HUB_MQTT_PASSWORD": "m",
}


def test_missing_secrets_are_all_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        configure({"HUB_ENV_FILE": str(tmp_path / "none.env")})
    message = str(caught.value)
    for setting in SETTINGS:
        if setting.secret and setting.default is None:
            assert setting.key in message
    assert "HUB_GEOSERVER_PASSWORD" not in message  # needed only with the GeoServer publisher
    assert "HUB_DEBUG" not in message


def test_bad_values_are_refused_with_the_key(tmp_path):
    env = {
        "HUB_ENV_FILE": str(tmp_path / "none.env"),
        "HUB_SECRET_KEY": "s",
        "HUB_DB_PASSWORD": "p",
        "HUB_KEYCLOAK_ADMIN_PASSWORD": "k",
        "HUB_DEBUG": "maybe",
        "HUB_DB_PORT": "fivefourthreetwo",
    }
    with pytest.raises(ConfigError) as caught:
        configure(env)
    assert "HUB_DEBUG: expected true/false, got 'maybe'" in str(caught.value)
    assert "HUB_DB_PORT" in str(caught.value)


def test_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / "hub.env"
    env_file.write_text(
        "# local\nHUB_SECRET_KEY=from-file\nHUB_DB_PASSWORD=file\n"
        "HUB_KEYCLOAK_ADMIN_PASSWORD=file\nHUB_DB_PORT=5433\n",
        encoding="utf-8",
    )
    values = configure({"HUB_ENV_FILE": str(env_file), "HUB_DB_PORT": "6543", **CLIENT_SECRETS})
    assert values["HUB_SECRET_KEY"] == "from-file"
    assert values["HUB_DB_PORT"] == 6543
    assert values["HUB_DEBUG"] is False
    assert isinstance(values["HUB_TENANTS_DIR"], Path)


def test_a_malformed_env_file_names_the_line(tmp_path):
    env_file = tmp_path / "hub.env"
    env_file.write_text("HUB_SECRET_KEY=x\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"hub.env:2: expected KEY=VALUE"):
        configure({"HUB_ENV_FILE": str(env_file)})
