# SPDX-License-Identifier: EUPL-1.2
"""gunicorn entry point of CKAN (the wheel ships none): the app built from $CKAN_INI."""

import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_ini = os.environ["CKAN_INI"]
fileConfig(_ini)
application = make_app(CKANConfigLoader(_ini).get_config())
