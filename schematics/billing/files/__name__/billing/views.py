"""The billing pages: pricing, Checkout and its return pages, the customer portal."""

import hashlib
import json
import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .access import active_subscription
from .models import Customer
from .owners import billing_owner, may_manage_billing, new_customer
from .plans import INTERVALS, all_plans, find_plan
from .stripe_api import stripe_client

logger = logging.getLogger(__name__)

UNAVAILABLE = "Payments are unavailable at the moment: please try again later."
NOT_YOURS = "Only the people who manage this subscription may change it."


@require_safe
def pricing(request: HttpRequest) -> HttpResponse:
    """The plans, each with its monthly and yearly price; anyone may see them."""
    return render(
        request,
        "billing/pricing.html",
        {
            "plans": all_plans(),
            "intervals": INTERVALS,
            "subscription": active_subscription(request),
            # Visitors see the buttons too: Checkout asks them to sign in first.
            "may_subscribe": not request.user.is_authenticated
            or may_manage_billing(request),
        },
    )


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    """Start Stripe Checkout for the plan and interval the form names."""
    if not may_manage_billing(request):
        raise PermissionDenied(NOT_YOURS)
    plan = find_plan(request.POST.get("plan", ""))
    price = plan.price(request.POST.get("interval", "")) if plan else None
    if plan is None or price is None:
        messages.error(request, "Choose one of the plans below.")
        return redirect("billing:pricing")
    if active_subscription(request) is not None:
        messages.info(request, "You already have a subscription: manage it here.")
        return redirect("billing:account")
    client = stripe_client()
    try:
        customer = _customer(request, client)
        params: dict = {
            "mode": "subscription",
            "customer": customer.stripe_id,
            "client_reference_id": str(customer.pk),
            "line_items": [{"price": price.stripe_id, "quantity": 1}],
            "success_url": request.build_absolute_uri(reverse("billing:success"))
            + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": request.build_absolute_uri(reverse("billing:cancel")),
        }
        if plan.trial_days:
            params["subscription_data"] = {"trial_period_days": plan.trial_days}
        session = client.v1.checkout.sessions.create(params)
    except stripe.StripeError:
        logger.exception("Stripe Checkout could not start")
        messages.error(request, UNAVAILABLE)
        return redirect("billing:pricing")
    return HttpResponseRedirect(session.url, status=303)


def _customer(request: HttpRequest, client: stripe.StripeClient) -> Customer:
    """The payer's customer, created in Stripe on their first checkout."""
    customer = billing_owner(request)
    if customer is None:
        params, fields = new_customer(request)
        # Two first checkouts at once (a double click, two tabs) both get here. The
        # same parameters give the same idempotency key, so Stripe answers the second
        # with the first one's customer (for 24 hours), and one row is kept for it.
        # https://docs.stripe.com/api/idempotent_requests
        key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
        created = client.v1.customers.create(
            params, {"idempotency_key": f"customer-{key}"}
        )
        customer, _ = Customer.objects.get_or_create(
            stripe_id=created.id, defaults=fields
        )
    return customer


@login_required
@require_safe
def success(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns after payment; the webhook brings the subscription."""
    return render(
        request,
        "billing/success.html",
        {"subscription": active_subscription(request)},
    )


@login_required
@require_safe
def cancel(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns when the customer leaves it without paying."""
    return render(request, "billing/cancel.html")


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's plan and its status, with a link to Stripe's portal."""
    customer = billing_owner(request)
    subscription = active_subscription(request)
    return render(
        request,
        "billing/account.html",
        {
            "customer": customer,
            "may_manage": may_manage_billing(request),
            "subscription": subscription,
            "plan": find_plan(subscription.plan) if subscription else None,
        },
    )


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    """Open Stripe's customer portal: payment methods, invoices, cancelling."""
    if not may_manage_billing(request):
        raise PermissionDenied(NOT_YOURS)
    customer = billing_owner(request)
    if customer is None:
        messages.info(request, "Choose a plan first.")
        return redirect("billing:pricing")
    try:
        session = stripe_client().v1.billing_portal.sessions.create(
            {
                "customer": customer.stripe_id,
                "return_url": request.build_absolute_uri(reverse("billing:account")),
            }
        )
    except stripe.StripeError:
        logger.exception("Stripe's customer portal could not open")
        messages.error(request, UNAVAILABLE)
        return redirect("billing:account")
    return HttpResponseRedirect(session.url, status=303)
