"""The access gate: who has an active (or trialing) subscription, and to which plan.

- ``@subscription_required`` on a view function;
- ``SubscriptionRequiredMixin`` on a class-based view;
- ``{% has_active_subscription as subscribed %}`` in a template (load billing);
- ``plan_limit(request, "projects")`` for limits that depend on the plan.

Each asks about a request, not a user: who pays for it is ``billing_owner``'s answer
(owners.py), the user's own customer or, with teams, the current team's.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import Subscription
from .owners import billing_owner
from .plans import find_plan

NOT_SUBSCRIBED = "This page needs a subscription: choose a plan."


def active_subscription(request: HttpRequest) -> Subscription | None:
    """The subscription that gives ``request`` access now, if any."""
    customer = billing_owner(request)
    return customer.active_subscription() if customer else None


def has_active_subscription(request: HttpRequest) -> bool:
    return active_subscription(request) is not None


def plan_limit(request: HttpRequest, name: str, default: int = 0) -> int:
    """The limit ``name`` of the plan paid for ``request`` (its BILLING_PLANS limits).

    Without an active subscription, or when the plan does not set it: ``default``.
    """
    subscription = active_subscription(request)
    plan = find_plan(subscription.plan) if subscription else None
    return plan.limits.get(name, default) if plan else default


def _refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    messages.warning(request, NOT_SUBSCRIBED)
    return redirect("billing:pricing")


def subscription_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Let through people with an active or trialing subscription.

    Visitors are sent to sign in, people without a subscription to the pricing page.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_active_subscription(request):
            return _refuse(request)
        return view(request, *args, **kwargs)

    return wrapper


class SubscriptionRequiredMixin(AccessMixin):
    """``@subscription_required`` for class-based views: put it first in the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_active_subscription(request):
            return _refuse(request)
        return super().dispatch(request, *args, **kwargs)
