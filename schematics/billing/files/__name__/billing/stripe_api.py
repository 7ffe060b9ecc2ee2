"""The Stripe API client, configured from the settings.

Tests replace ``HTTP_CLIENT`` with a fake that answers as Stripe would, so no request
leaves the machine (tests/stripe_double.py).
"""

import stripe
from django.conf import settings

# None: the Stripe library's own HTTP client. Tests put a stripe.HTTPClient here.
HTTP_CLIENT: stripe.HTTPClient | None = None


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=HTTP_CLIENT,
        max_network_retries=2,
    )
