"""Every change to who is in a team and with which role, keeping at least one owner.

The team pages and the admin call these functions rather than saving memberships
themselves. Each locks the team's memberships, so two owners stepping down at the same
moment cannot leave the team without one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Role, Team


class LastOwnerError(ValidationError):
    """The change would leave the team without an owner."""

    def __init__(self) -> None:
        super().__init__(
            _("A team needs an owner: make someone else an owner first."),
            code="last_owner",
        )


def create_team(user, name: str, *, personal: bool = False) -> Team:
    """A new team, with ``user`` as its owner."""
    with transaction.atomic():
        team = Team.objects.create(name=name, personal=personal)
        Membership.objects.create(user=user, team=team, role=Role.OWNER)
    return team


def add_member(team: Team, user, role: str) -> Membership:
    """``user`` in ``team`` with ``role``; someone already in it keeps their role."""
    membership, _created = Membership.objects.get_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership


def change_role(membership: Membership, role: str) -> None:
    with transaction.atomic():
        _lock_owners(membership.team)
        membership.refresh_from_db()
        if membership.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(membership)
        membership.role = role
        membership.save(update_fields=["role"])


def remove_member(membership: Membership) -> None:
    """Takes someone out of the team (or lets them leave)."""
    with transaction.atomic():
        _lock_owners(membership.team)
        membership.refresh_from_db()
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        membership.delete()


def _lock_owners(team: Team) -> None:
    list(Membership.objects.select_for_update().filter(team=team, role=Role.OWNER))


def _keep_an_owner(leaving: Membership) -> None:
    others = Membership.objects.filter(team=leaving.team, role=Role.OWNER).exclude(
        pk=leaving.pk
    )
    if not others.exists():
        raise LastOwnerError
