# SPDX-License-Identifier: EUPL-1.2
"""Django settings. Every value comes from hub.config.configure(); nothing is read here directly."""

from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from hub.config import ROOT, configure
from hub.core.registry import discover_apps
from hub.db import reset_connection

CONFIG = configure()

SECRET_KEY = CONFIG["HUB_SECRET_KEY"]
DEBUG = CONFIG["HUB_DEBUG"]
ALLOWED_HOSTS = CONFIG["HUB_ALLOWED_HOSTS"]
STATE_DIR = CONFIG["HUB_STATE_DIR"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "mozilla_django_oidc",
    "csp",
    "leaflet",
    # The hub's own apps are found, not listed: each folder of hub/ with an apps.py.
    *discover_apps(),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hub.core.errors.ErrorMiddleware",
    "hub.core.guard.InputGuard",
    "csp.middleware.CSPMiddleware",
    "hub.core.guard.PermissionsPolicy",
    "hub.accounts.middleware.KeycloakSessionRefresh",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [ROOT / "hub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.portal.context.portal",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "HOST": CONFIG["HUB_DB_HOST"],
        "PORT": CONFIG["HUB_DB_PORT"],
        "NAME": CONFIG["HUB_DB_NAME"],
        "USER": CONFIG["HUB_DB_USER"],
        "PASSWORD": CONFIG["HUB_DB_PASSWORD"],
        # Pooled connections; the tenant context lives in session settings, so the pool resets
        # every connection it takes back (hub.db.reset_connection).
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "application_name": "hub",
            "pool": {"min_size": 1, "max_size": 6, "reset": reset_connection},
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Debian 12 ships GDAL 3.6, which cannot block file and network access from spatial references.
# GDAL reads only files that staff hand to `hub boundaries import`, never uploads (ADR 0003).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CONFIG["HUB_REDIS_URL"],
    }
}

# German first; English as the second language.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [ROOT / "hub" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = STATE_DIR / "static"
# Uploaded files (photos of reports); served by the hub's own views, which check visibility.
MEDIA_ROOT = STATE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Sessions in Redis with PostgreSQL behind: fast reads, and they survive a Redis restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "oidc_authentication_init"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "hub.accounts.oidc.KeycloakBackend",
    # Local accounts only for the operators' Django admin (the demo superuser of the stack).
    "django.contrib.auth.backends.ModelBackend",
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if CONFIG["HUB_PUBLIC_URL"].startswith("https://"):  # behind TLS: browsers keep to it
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy (django-csp): the hub's pages run only their own scripts and styles
# (no inline script, no inline style element, no eval); images also from the base map and the
# OGC server, whose tiles every map draws. A page's own data travels in json_script blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [
            SELF,
            "data:",
            *filter(None, {_origin(CONFIG["HUB_BASEMAP_URL"]), _origin(CONFIG["HUB_OGC_URL"])}),
        ],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, _origin(CONFIG["HUB_KEYCLOAK_URL"]) or SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (hub.core.guard.PermissionsPolicy): no page needs a camera, microphone or
# payment; the report form may ask for the device's position ("Meinen Standort verwenden").
HUB_PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

CELERY_BROKER_URL = CONFIG["HUB_REDIS_URL"]
CELERY_RESULT_BACKEND = CONFIG["HUB_REDIS_URL"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat's schedule is what the apps register (hub.celery, hub.core.registry).
HUB_RECONCILE_MINUTES = CONFIG["HUB_RECONCILE_MINUTES"]
HUB_OPEN311_ANONYMOUS_PER_MINUTE = CONFIG["HUB_OPEN311_ANONYMOUS_PER_MINUTE"]
HUB_REPORT_ANONYMISE_DAYS = CONFIG["HUB_REPORT_ANONYMISE_DAYS"]
HUB_PHOTO_MAX_BYTES = CONFIG["HUB_PHOTO_MAX_BYTES"]

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = CONFIG["HUB_SMTP_HOST"]
EMAIL_PORT = CONFIG["HUB_SMTP_PORT"]
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = CONFIG["HUB_MAIL_FROM"]
# Where the local stack's SMTP sink (`python -m hub.core.mailsink`) keeps what it receives.
HUB_MAIL_DIR = STATE_DIR / "mail"

HUB_MQTT = (CONFIG["HUB_MQTT_HOST"], CONFIG["HUB_MQTT_PORT"])
HUB_MQTT_AUTH = (CONFIG["HUB_MQTT_USER"], CONFIG["HUB_MQTT_PASSWORD"])
# The local stack's Mosquitto reads its users from here (hub sensors mqtt-password).
HUB_MQTT_DIR = STATE_DIR / "mosquitto"
HUB_KEYCLOAK = {
    "url": CONFIG["HUB_KEYCLOAK_URL"],
    "health_url": CONFIG["HUB_KEYCLOAK_HEALTH_URL"],
    "admin_user": CONFIG["HUB_KEYCLOAK_ADMIN_USER"],
    "admin_password": CONFIG["HUB_KEYCLOAK_ADMIN_PASSWORD"],
    "realm": CONFIG["HUB_KEYCLOAK_REALM"],
    "audience": CONFIG["HUB_API_AUDIENCE"],
    "client_secret": CONFIG["HUB_OIDC_CLIENT_SECRET"],
    "ckan_client_secret": CONFIG["HUB_CKAN_CLIENT_SECRET"],
    "ogc_client_secret": CONFIG["HUB_OGC_CLIENT_SECRET"],
}
HUB_PUBLIC_URL = CONFIG["HUB_PUBLIC_URL"].rstrip("/")
HUB_CKAN_API_TOKEN = CONFIG["HUB_CKAN_API_TOKEN"]
HUB_CKAN_ORG_PREFIX = CONFIG["HUB_CKAN_ORG_PREFIX"]
_REALM_URL = f"{CONFIG['HUB_KEYCLOAK_URL'].rstrip('/')}/realms/{CONFIG['HUB_KEYCLOAK_REALM']}"
_OIDC = f"{_REALM_URL}/protocol/openid-connect"
HUB_OIDC_ISSUER = _REALM_URL
OIDC_RP_CLIENT_ID = "hub"
OIDC_RP_CLIENT_SECRET = CONFIG["HUB_OIDC_CLIENT_SECRET"]
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile organization"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_OIDC}/auth"
OIDC_OP_TOKEN_ENDPOINT = f"{_OIDC}/token"
OIDC_OP_USER_ENDPOINT = f"{_OIDC}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{_OIDC}/certs"
OIDC_OP_LOGOUT_ENDPOINT = f"{_OIDC}/logout"
OIDC_OP_LOGOUT_URL_METHOD = "hub.accounts.oidc.logout_url"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
# Memberships are re-read from Keycloak when the ID token is this old (silent prompt=none).
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 300
OIDC_EXEMPT_URLS = ["healthz", "/api/", "/static/"]
HUB_CKAN_URL = CONFIG["HUB_CKAN_URL"].rstrip("/")
HUB_OGC = {
    "publisher": CONFIG["HUB_OGC_PUBLISHER"],
    "url": CONFIG["HUB_OGC_URL"].rstrip("/"),
    "port": CONFIG["HUB_OGC_PORT"],
    "db_user": CONFIG["HUB_OGC_DB_USER"],
    "db_password": CONFIG["HUB_OGC_DB_PASSWORD"],
    "mapserv": CONFIG["HUB_MAPSERV"],
    "mapserver_dir": Path(CONFIG["HUB_MAPSERVER_DIR"] or STATE_DIR / "mapserver"),
    "geoserver_url": CONFIG["HUB_GEOSERVER_URL"].rstrip("/"),
    "geoserver_user": CONFIG["HUB_GEOSERVER_USER"],
    "geoserver_password": CONFIG["HUB_GEOSERVER_PASSWORD"],
    "geoserver_db_host": CONFIG["HUB_GEOSERVER_DB_HOST"] or CONFIG["HUB_DB_HOST"],
}
HUB_TENANTS_DIR = CONFIG["HUB_TENANTS_DIR"]
HUB_DATA_DIR = CONFIG["HUB_DATA_DIR"]
HUB_HEALTH_TIMEOUT = CONFIG["HUB_HEALTH_TIMEOUT"]
HUB_DEMO_PASSWORD = CONFIG["HUB_DEMO_PASSWORD"]
HUB_API_RATE_LIMIT = CONFIG["HUB_API_RATE_LIMIT"]
HUB_MOBILITY_FEEDS = CONFIG["HUB_MOBILITY_FEEDS"]
HUB_OTP_URL = CONFIG["HUB_OTP_URL"]
HUB_API_CLIENTS_PER_PERSON = CONFIG["HUB_API_CLIENTS_PER_PERSON"]

# Every map draws this base map (if set) beneath the hub's own context layers (hub.portal).
HUB_BASEMAP = {"url": CONFIG["HUB_BASEMAP_URL"], "attribution": CONFIG["HUB_BASEMAP_ATTRIBUTION"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
