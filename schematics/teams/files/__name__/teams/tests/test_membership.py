import pytest

from ...users.tests.factories import UserFactory
from ..membership import (
    LastOwnerError,
    add_member,
    change_role,
    create_team,
    remove_member,
)
from ..models import Membership, Role
from .factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_whoever_creates_a_team_owns_it():
    user = UserFactory()

    team = create_team(user, "Lab")

    assert team.memberships.get().user == user
    assert team.memberships.get().role == Role.OWNER
    assert not team.personal


def test_adding_someone_already_in_the_team_keeps_their_role():
    owner = MembershipFactory(role=Role.OWNER)

    membership = add_member(owner.team, owner.user, Role.MEMBER)

    assert membership == owner
    assert membership.role == Role.OWNER


def test_the_last_owner_cannot_step_down():
    owner = MembershipFactory(role=Role.OWNER)

    with pytest.raises(LastOwnerError):
        change_role(owner, Role.ADMIN)

    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_last_owner_cannot_be_removed():
    owner = MembershipFactory(role=Role.OWNER)

    with pytest.raises(LastOwnerError, match="A team needs an owner"):
        remove_member(owner)

    assert Membership.objects.filter(pk=owner.pk).exists()


def test_an_owner_steps_down_once_there_is_another():
    team = TeamFactory()
    first = MembershipFactory(team=team, role=Role.OWNER)
    second = MembershipFactory(team=team, role=Role.MEMBER)

    change_role(second, Role.OWNER)
    change_role(first, Role.MEMBER)
    remove_member(first)

    assert list(team.memberships.values_list("role", flat=True)) == [Role.OWNER]


def test_members_and_admins_come_and_go_freely():
    team = TeamFactory()
    MembershipFactory(team=team, role=Role.OWNER)
    member = MembershipFactory(team=team, role=Role.MEMBER)

    change_role(member, Role.ADMIN)
    member.refresh_from_db()
    assert member.role == Role.ADMIN

    remove_member(member)
    assert team.memberships.count() == 1
