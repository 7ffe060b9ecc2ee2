"""A deployment check: production runs on live-mode Stripe keys.

``manage.py check --deploy`` fails with test-mode keys (``sk_test_…``, ``pk_test_…``)
unless STRIPE_ALLOW_TEST_KEYS is True, as a staging server may set it.
https://docs.stripe.com/keys#test-live-modes
"""

from django.conf import settings
from django.core import checks

TEST_PREFIXES = ("sk_test_", "rk_test_", "pk_test_")


@checks.register(checks.Tags.security, deploy=True)
def check_stripe_live_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.STRIPE_ALLOW_TEST_KEYS:
        return []
    errors = []
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY"):
        if getattr(settings, name).startswith(TEST_PREFIXES):
            errors.append(
                checks.Error(
                    f"{name} is a test-mode key in a deployment.",
                    hint="Set the live-mode key, or STRIPE_ALLOW_TEST_KEYS=True on a "
                    "staging server that must not take real payments.",
                    id="billing.E001",
                )
            )
    if not settings.STRIPE_API_BASE.startswith("https://"):
        errors.append(
            checks.Error(
                "STRIPE_API_BASE is not an https:// address in a deployment.",
                hint="Remove STRIPE_API_BASE: it is for tests against a local fake.",
                id="billing.E002",
            )
        )
    return errors
