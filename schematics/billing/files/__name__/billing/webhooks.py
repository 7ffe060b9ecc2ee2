"""Stripe's webhook: signed events that keep the Subscription rows current.

https://docs.stripe.com/webhooks
"""

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Customer, WebhookEvent
from .stripe_api import stripe_client
from .subscriptions import stripe_id_of, sync_subscription

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the event's signature, then handle it once.

    A missing or wrong ``Stripe-Signature`` gets 400, never 500: it is not Stripe.
    An event id seen before gets 200 and changes nothing (Stripe retries, and
    anyone may replay a signed event within its five minutes).
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponse("Webhook secret not configured.", status=400)
    try:
        stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), secret
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponse("Invalid signature.", status=400)
    payload = json.loads(request.body)
    try:
        with transaction.atomic():
            record, _ = WebhookEvent.objects.select_for_update().get_or_create(
                stripe_id=payload["id"],
                defaults={
                    "type": payload.get("type", ""),
                    "livemode": bool(payload.get("livemode")),
                    "payload": payload,
                },
            )
            if record.processed_at is not None:
                logger.info("Stripe event %s already handled", record.stripe_id)
                return HttpResponse("Already handled.")
            logger.info("Stripe event %s (%s)", record.stripe_id, record.type)
            handler = HANDLERS.get(record.type)
            if handler is not None:
                handler(payload["data"]["object"], payload.get("created"))
            record.processed_at = timezone.now()
            record.save(update_fields=["processed_at"])
    except stripe.StripeError:
        # Stripe delivers the event again later, with backoff.
        logger.exception("Stripe event %s failed; Stripe will retry", payload["id"])
        return HttpResponse("Stripe API unavailable.", status=503)
    return HttpResponse("OK")


def checkout_completed(session: Mapping[str, Any], created: int | None) -> None:
    """A customer paid (or started a trial) through Checkout."""
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return
    stripe_customer = stripe_id_of(session.get("customer"))
    if not Customer.objects.filter(stripe_id=stripe_customer).exists():
        logger.warning("Checkout session %s of unknown customer", session.get("id"))
        return
    subscription = stripe_client().v1.subscriptions.retrieve(
        stripe_id_of(session["subscription"])
    )
    sync_subscription(subscription.to_dict(), created)


def subscription_changed(data: Mapping[str, Any], created: int | None) -> None:
    """Created, renewed, changed, paused, cancelled: the event carries its state."""
    sync_subscription(data, created)


def payment_failed(invoice: Mapping[str, Any], created: int | None) -> None:
    """A renewal failed: the subscription is now past due (or unpaid); read it again."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription_id = stripe_id_of(
        parent.get("subscription") or invoice.get("subscription")
    )
    logger.warning(
        "Payment failed for invoice %s of customer %s",
        invoice.get("id"),
        stripe_id_of(invoice.get("customer")),
    )
    if subscription_id:
        subscription = stripe_client().v1.subscriptions.retrieve(subscription_id)
        sync_subscription(subscription.to_dict(), created)


HANDLERS: dict[str, Callable[[Mapping[str, Any], int | None], None]] = {
    "checkout.session.completed": checkout_completed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.payment_failed": payment_failed,
}
