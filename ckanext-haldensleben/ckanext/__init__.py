# SPDX-License-Identifier: EUPL-1.2
# `ckanext` is shared with CKAN's other extensions (ckanext-dcat, ...) in the same virtualenv.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
