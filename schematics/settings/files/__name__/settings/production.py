"""Settings for production: secrets and site-specific values come from the environment.

Check them with ``python manage.py check --deploy``.
https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

from .base import *

# GENERAL
# ------------------------------------------------------------------------------
# Read as is: django-environ would take a key starting with "$" for a reference to
# another variable.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable to a long random string, e.g. the "
        "output of: python -c 'from django.core.management.utils import "
        "get_random_secret_key; print(get_random_secret_key())'."
    )
# The rule of Django's own check (security.W009): long, varied, and not a key made
# for development.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is insecure (it needs at least 50 characters, 5 of them unique, "
        "and no 'django-insecure-' prefix): replace it with a new random key."
    )
# No default: production must name the hosts it serves.
# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# DATABASES
# ------------------------------------------------------------------------------
# No SQLite fallback: DATABASE_URL must name the production database (PostgreSQL).
# https://docs.djangoproject.com/en/5.2/ref/databases/#postgresql-notes
DATABASES = {"default": {**DATABASES["default"], **env.db("DATABASE_URL")}}

# CACHES
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
    },
}

# SECURITY
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/security/
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-ssl-redirect
SECURE_SSL_REDIRECT = True
# Health probes of load balancers and containers speak plain HTTP.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-redirect-exempt
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy that terminates TLS, Django only knows a request was HTTPS
# from the proxy's X-Forwarded-Proto header. Enable this only if every request goes
# through a proxy that sets that header, overwriting any value sent by the client.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# https://docs.djangoproject.com/en/5.2/ref/settings/#session-cookie-secure
SESSION_COOKIE_SECURE = True
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-cookie-secure
CSRF_COOKIE_SECURE = True
# HTTP Strict Transport Security: browsers remember, for SECURE_HSTS_SECONDS, to use
# HTTPS only for this site. A mistake is hard to undo, so roll it out in steps:
# start at 60 seconds, check that every page (and, with include-subdomains, every
# subdomain) works over HTTPS, then raise it to 3600, 86400, 2592000 and finally
# 31536000 (one year), the minimum for the browsers' preload list.
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-hsts-seconds
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-hsts-include-subdomains
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-hsts-preload
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# STATIC FILES
# ------------------------------------------------------------------------------
# Compressed files with content hashes in their names, served by WhiteNoise with
# far-future cache headers.
# https://whitenoise.readthedocs.io/en/stable/django.html#add-compression-and-caching-support
# https://docs.djangoproject.com/en/5.2/ref/settings/#storages
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# EMAIL
# ------------------------------------------------------------------------------
# SMTP, configured from the environment. EMAIL_BACKEND may name another backend, e.g.
# the file-based one on a staging server that must not send real mail.
# https://docs.djangoproject.com/en/5.2/topics/email/
#
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-backend
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)

# https://docs.djangoproject.com/en/5.2/ref/settings/#email-host
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")

# https://docs.djangoproject.com/en/5.2/ref/settings/#email-port
EMAIL_PORT = env.int("EMAIL_PORT", default=587)

# https://docs.djangoproject.com/en/5.2/ref/settings/#email-host-user
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")

# Read as is, like SECRET_KEY: django-environ would take a password starting with "$"
# for a reference to another variable.
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-host-password
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")

# STARTTLS, usually on port 587. For implicit TLS (port 465) use EMAIL_USE_SSL
# instead: only one of the two may be on.
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-use-tls
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

# https://docs.djangoproject.com/en/5.2/ref/settings/#email-use-ssl
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)

# Seconds before an unresponsive mail server fails the request instead of holding
# a worker.
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-timeout
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Where the file-based backend writes each message; unused by SMTP.
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-file-path
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="") or BASE_DIR / "sent-emails"

# The sender of the site's emails: an address your mail server may send from.
# https://docs.djangoproject.com/en/5.2/ref/settings/#default-from-email
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# The sender of error reports to ADMINS; the site's sender unless set.
# https://docs.djangoproject.com/en/5.2/ref/settings/#server-email
SERVER_EMAIL = env.str("SERVER_EMAIL", default="") or DEFAULT_FROM_EMAIL

# Who receives a report of each server error (500), comma-separated, as in
# "Ann <ann@example.com>, ops@example.com"; empty sends none.
# https://docs.djangoproject.com/en/5.2/ref/settings/#admins
ADMINS = getaddresses(env_list("ADMINS", default=[]))

# SENTRY
# ------------------------------------------------------------------------------
# Error reporting, on when SENTRY_DSN is set; needs the "sentry" extra installed.
# https://docs.sentry.io/platforms/python/integrations/django/
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
