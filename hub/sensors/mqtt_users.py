# SPDX-License-Identifier: EUPL-1.2
"""MQTT users of the tenants in the local stack's Mosquitto.

Each tenant's devices connect as a user named after the tenant; the broker's ACL (written by
deploy/local/stack.sh) lets such a user use `hub/<its name>/#` only:

    user hub                    # the hub's own processes
    topic readwrite #
    pattern readwrite hub/%u/#  # every other user: its tenant's topics

So a tenant can neither publish into nor read another tenant's topics. The password file is
Mosquitto's own (mosquitto_passwd); after a change Mosquitto is told to reload (SIGHUP).
Production brokers manage users their own way; this is the embedded default.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
from pathlib import Path

from django.conf import settings

RESERVED = {"hub"}


class MqttUserError(RuntimeError):
    pass


def password_file() -> Path:
    return Path(settings.HUB_MQTT_DIR) / "passwd"


def _reload() -> None:
    pid_file = Path(settings.STATE_DIR) / "run" / "mosquitto.pid"
    try:
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGHUP)  # "pid start-time"
    except (OSError, ValueError) as exc:
        raise MqttUserError(
            f"the password file changed, but Mosquitto could not be told ({exc}); restart it"
        ) from None


def _program() -> str:
    found = shutil.which("mosquitto_passwd")
    if not found:
        raise MqttUserError("mosquitto_passwd is missing: apt-get install mosquitto")
    return found


def set_password(slug: str, password: str | None = None) -> str:
    """Create or change the tenant's MQTT user; returns the (new) password."""
    if slug in RESERVED:
        raise MqttUserError(f"{slug!r} is reserved for the hub")
    password = password or secrets.token_urlsafe(24)
    path = password_file()
    if not path.exists():
        raise MqttUserError(f"{path} is missing: start the stack (make up) first")
    subprocess.run([_program(), "-b", str(path), slug, password], check=True, capture_output=True)
    if os.geteuid() == 0:  # the broker reads it as its own user
        shutil.chown(path, user="mosquitto")
    _reload()
    return password


def remove(slug: str) -> None:
    if slug in RESERVED:
        raise MqttUserError(f"{slug!r} is reserved for the hub")
    subprocess.run([_program(), "-D", str(password_file()), slug], check=True, capture_output=True)
    _reload()
