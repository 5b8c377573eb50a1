# SPDX-License-Identifier: EUPL-1.2
"""The core every app builds on: the registry (manifest), access declarations, the error
family, the import machinery, exports, mail and the MQTT client of the hub's own processes.
It imports no app."""
