# SPDX-License-Identifier: EUPL-1.2
"""The `hub` console script: Django's management commands under the project's own name.

hub tenants validate|plan|apply
hub boundaries import FILE
hub migrate, hub createsuperuser, ... (every Django command)
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.core.management import execute_from_command_line

    from hub.config import ConfigError

    try:
        execute_from_command_line(["hub", *sys.argv[1:]])
    except ConfigError as exc:
        sys.exit(f"hub: {exc}")


if __name__ == "__main__":
    main()
