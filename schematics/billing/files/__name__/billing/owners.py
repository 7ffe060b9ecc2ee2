"""Who pays for a request: the one place that decides it.

Today the signed-in user pays. A project that bills teams returns the team's
customer here, and the access gate, the pages and the checkout follow.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from .models import Customer


def billing_owner(user: AbstractBaseUser | AnonymousUser) -> Customer | None:
    """The customer who pays for ``user``, or None before their first checkout."""
    if not user.is_authenticated:
        return None
    return Customer.objects.filter(user=user).first()
