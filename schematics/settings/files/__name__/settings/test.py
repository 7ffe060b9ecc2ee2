"""Settings for the test suite: fast and isolated.

The database comes from DATABASE_URL as everywhere else, SQLite by default, so the
same tests run on PostgreSQL when DATABASE_URL names a PostgreSQL database.
"""

from .base import *

# GENERAL
# ------------------------------------------------------------------------------
# The development key of local.py: the repository holds a single key, the one
# labelled insecure, which production refuses. ("as SECRET_KEY" tells linters the
# name is defined here on purpose, as a setting.)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
from .local import SECRET_KEY as SECRET_KEY

# PASSWORDS
# ------------------------------------------------------------------------------
# A fast hasher, since the tests create users; never use it anywhere else.
# https://docs.djangoproject.com/en/5.2/topics/testing/overview/#password-hashing
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# CACHES
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/cache/#local-memory-caching
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# EMAIL
# ------------------------------------------------------------------------------
# Sent emails are kept in django.core.mail.outbox.
# https://docs.djangoproject.com/en/5.2/topics/testing/tools/#email-services
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# STATIC FILES
# ------------------------------------------------------------------------------
# Serve static files from their source folders, as in development, so the tests
# need no collectstatic.
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_AUTOREFRESH
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_USE_FINDERS
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
