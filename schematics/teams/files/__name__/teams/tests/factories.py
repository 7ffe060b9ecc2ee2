import factory
from factory.django import DjangoModelFactory

from ...users.tests.factories import UserFactory
from ..models import Invitation, Membership, Role, Team


class TeamFactory(DjangoModelFactory[Team]):
    name = factory.Sequence(lambda n: f"Team {n}")

    class Meta:
        model = Team


class MembershipFactory(DjangoModelFactory[Membership]):
    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.MEMBER

    class Meta:
        model = Membership


class InvitationFactory(DjangoModelFactory[Invitation]):
    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.com")
    role = Role.MEMBER

    class Meta:
        model = Invitation


def member_of(team: Team, role: str = Role.MEMBER, **user):
    """A new user in ``team`` with ``role``."""
    return MembershipFactory(team=team, role=role, user=UserFactory(**user)).user
