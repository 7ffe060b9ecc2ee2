"""What the project keeps of Stripe's state: customers, their subscriptions, events.

Stripe stays the source of truth. These rows are a copy, updated by the webhook
(webhooks.py), so that pages and the access gate never wait for Stripe's API.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .plans import find_plan

# Statuses that give access: a paying subscription, or one in its free trial.
# https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses
ACTIVE_STATUSES = ("active", "trialing")


class Customer(models.Model):
    """Who pays: a Stripe customer, tied to a user.

    The payer is a user today. To bill a team instead, add a nullable one-to-one
    field to the team beside ``user`` and return the team's customer from
    ``billing_owner`` in owners.py: nothing else reads ``user`` directly.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="billing_customer",
        verbose_name=_("user"),
    )
    stripe_id = models.CharField(_("Stripe ID"), max_length=255, unique=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.email or self.stripe_id

    def active_subscription(self) -> "Subscription | None":
        """The subscription that gives access now, if any."""
        return (
            self.subscriptions.filter(status__in=ACTIVE_STATUSES)
            .order_by("-current_period_end")
            .first()
        )


class Subscription(models.Model):
    """A Stripe subscription of one customer, as the last webhook event told it."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("customer"),
    )
    stripe_id = models.CharField(_("Stripe ID"), max_length=255, unique=True)
    # incomplete, incomplete_expired, trialing, active, past_due, canceled, unpaid
    # or paused.
    status = models.CharField(_("status"), max_length=32)
    price_id = models.CharField(_("price"), max_length=255, blank=True)
    # The key of the plan in BILLING_PLANS whose price this is; empty when none is.
    plan = models.CharField(_("plan"), max_length=64, blank=True)
    interval = models.CharField(_("interval"), max_length=16, blank=True)
    trial_end = models.DateTimeField(_("trial ends"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("period ends"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(
        _("cancels at period end"), default=False
    )
    # When Stripe created the event this row was last updated from: an older event
    # delivered late (Stripe does not keep their order) changes nothing.
    event_created_at = models.DateTimeField(_("event time"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.plan or self.price_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def plan_name(self) -> str:
        """The plan's name from BILLING_PLANS, or its price ID when no plan has it."""
        plan = find_plan(self.plan)
        return plan.name if plan else self.price_id


class WebhookEvent(models.Model):
    """Each Stripe event received, once: a replayed event id is not handled again."""

    stripe_id = models.CharField(_("Stripe ID"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=255)
    livemode = models.BooleanField(_("live mode"), default=False)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"
