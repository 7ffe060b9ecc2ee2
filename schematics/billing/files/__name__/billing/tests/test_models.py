import pytest

from .factories import CustomerFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_customer_shows_its_email_or_its_stripe_id():
    assert str(CustomerFactory(email="ada@example.com")) == "ada@example.com"
    assert str(CustomerFactory(email="", stripe_id="cus_9")) == "cus_9"


def test_a_subscription_shows_its_plan_and_status():
    sub = SubscriptionFactory(plan="pro", status="trialing")

    assert str(sub) == "pro (trialing)"
    assert sub.plan_name == "Pro"
    assert sub.is_active


def test_a_subscription_to_an_unknown_price_shows_the_price():
    sub = SubscriptionFactory(plan="", price_id="price_legacy", status="canceled")

    assert sub.plan_name == "price_legacy"
    assert not sub.is_active


def test_the_active_subscription_is_the_one_that_gives_access():
    customer = CustomerFactory()
    SubscriptionFactory(customer=customer, status="canceled")
    active = SubscriptionFactory(customer=customer, status="active")

    assert customer.active_subscription() == active
