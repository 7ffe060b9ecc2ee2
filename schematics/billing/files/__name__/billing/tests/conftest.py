import pytest

from .. import stripe_api
from .stripe_double import WEBHOOK_SECRET, StripeDouble

TEST_PLANS = [
    {
        "key": "starter",
        "name": "Starter",
        "features": ["3 projects"],
        "trial_days": 14,
        "limits": {"projects": 3},
        "prices": {
            "month": {"id": "price_starter_month", "amount": 900},
            "year": {"id": "price_starter_year", "amount": 9000},
        },
    },
    {
        "key": "pro",
        "name": "Pro",
        "limits": {"projects": 1000},
        "prices": {
            "month": {"id": "price_pro_month", "amount": 2900, "currency": "eur"},
            "year": {"id": "", "amount": 29000},
        },
    },
]


@pytest.fixture(autouse=True)
def billing_settings(settings):
    """Test-mode keys and known plans, whatever the project's settings say."""
    settings.STRIPE_SECRET_KEY = "sk_test_double"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_double"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_ALLOW_TEST_KEYS = False
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    settings.BILLING_PLANS = TEST_PLANS
    return settings


@pytest.fixture(autouse=True)
def stripe_double(monkeypatch) -> StripeDouble:
    """Stripe's API, answered in memory: every test, so none can reach the network."""
    double = StripeDouble()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", double)
    return double
