"""The plans of BILLING_PLANS (settings), read into typed values.

Plans and their prices are declared in the settings: the pricing page needs no call
to Stripe. Each price names the ID of a recurring price you created in Stripe's
dashboard (from the environment, since test and live mode have different IDs).
"""

from dataclasses import dataclass, field

from django.conf import settings

INTERVALS = ("month", "year")


@dataclass(frozen=True)
class Price:
    """A recurring Stripe price of a plan."""

    stripe_id: str
    interval: str
    # In the currency's smallest unit (cents), as Stripe counts.
    amount: int
    currency: str

    @property
    def display_amount(self) -> str:
        return f"{self.amount / 100:,.2f} {self.currency.upper()}"


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    description: str = ""
    features: tuple[str, ...] = ()
    trial_days: int = 0
    # Plan-based limits, read with access.plan_limit (see README.md, "Billing").
    limits: dict[str, int] = field(default_factory=dict)
    prices: tuple[Price, ...] = ()

    def price(self, interval: str) -> Price | None:
        """The plan's price for ``interval``, if it has one with a Stripe ID."""
        return next((p for p in self.prices if p.interval == interval), None)


def all_plans() -> list[Plan]:
    """The plans of BILLING_PLANS, in order, without prices that lack a Stripe ID."""
    return [_plan(declared) for declared in settings.BILLING_PLANS]


def find_plan(key: str) -> Plan | None:
    return next((plan for plan in all_plans() if plan.key == key), None)


def plan_for_price(price_id: str) -> Plan | None:
    """The plan one of whose prices is ``price_id``."""
    for plan in all_plans():
        if any(price.stripe_id == price_id for price in plan.prices):
            return plan
    return None


def _plan(declared: dict) -> Plan:
    prices = tuple(
        Price(
            stripe_id=price["id"],
            interval=interval,
            amount=price["amount"],
            currency=price.get("currency", "usd"),
        )
        for interval, price in declared.get("prices", {}).items()
        if interval in INTERVALS and price.get("id")
    )
    return Plan(
        key=declared["key"],
        name=declared["name"],
        description=declared.get("description", ""),
        features=tuple(declared.get("features", ())),
        trial_days=declared.get("trial_days", 0),
        limits=dict(declared.get("limits", {})),
        prices=prices,
    )
