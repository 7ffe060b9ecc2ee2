"""Settings for the test suite: fast and isolated.

The database comes from DATABASE_URL like everywhere else (SQLite by default), so
the same tests run on PostgreSQL, e.g. with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<database> pytest
"""

from .base import *

# GENERAL
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = "django-insecure-test-key-used-only-by-the-test-suite"

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
