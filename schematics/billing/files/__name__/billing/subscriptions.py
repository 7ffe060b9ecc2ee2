"""Copies a Stripe subscription into the project's Subscription rows."""

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from .models import Customer, Subscription
from .plans import plan_for_price

logger = logging.getLogger(__name__)


def sync_subscription(
    data: Mapping[str, Any], event_created: int | None = None
) -> Subscription | None:
    """Create or update the Subscription that Stripe's ``data`` describes.

    ``event_created`` (Unix time) is when Stripe made the event that carried it: a
    row already updated from a newer event is left alone. A subscription of a
    customer the project does not know (made in the dashboard for someone else) is
    ignored and logged.
    """
    customer = Customer.objects.filter(
        stripe_id=stripe_id_of(data.get("customer"))
    ).first()
    if customer is None:
        logger.warning(
            "Stripe subscription %s belongs to unknown customer %s",
            data.get("id"),
            stripe_id_of(data.get("customer")),
        )
        return None
    item = _first_item(data)
    price = item.get("price") or item.get("plan") or {}
    price_id = price.get("id", "")
    recurring = price.get("recurring") or {}
    interval = recurring.get("interval") or price.get("interval", "")
    plan = plan_for_price(price_id)
    when = _time(event_created)
    subscription = Subscription.objects.filter(stripe_id=data["id"]).first()
    stale = subscription and subscription.event_created_at and when
    if stale and subscription.event_created_at > when:
        logger.info("Ignored an older event for subscription %s", data["id"])
        return subscription
    subscription = subscription or Subscription(stripe_id=data["id"])
    subscription.customer = customer
    subscription.status = data.get("status", "")
    subscription.price_id = price_id
    subscription.plan = plan.key if plan else ""
    subscription.interval = interval or ""
    subscription.trial_end = _time(data.get("trial_end"))
    # Newer API versions keep the period on each item, older ones on the subscription.
    subscription.current_period_end = _time(
        item.get("current_period_end") or data.get("current_period_end")
    )
    subscription.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
    subscription.event_created_at = when or subscription.event_created_at
    subscription.save()
    return subscription


def _first_item(data: Mapping[str, Any]) -> Mapping[str, Any]:
    items = (data.get("items") or {}).get("data") or []
    return items[0] if items else {}


def stripe_id_of(value: Any) -> str:
    """An expandable field: the ID itself, or the object that has it."""
    if isinstance(value, Mapping):
        return value.get("id", "")
    return value or ""


def _time(value: int | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
