import pytest
from django.urls import reverse

from ...users.tests.factories import UserFactory
from ..models import Membership, Role
from .factories import InvitationFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["team", "membership", "invitation"])
def test_the_admin_lists_and_searches_each_model(admin_client, model):
    membership = MembershipFactory(role=Role.OWNER)
    invitation = InvitationFactory(team=membership.team)
    objects = {
        "team": membership.team,
        "membership": membership,
        "invitation": invitation,
    }

    changelist = admin_client.get(
        reverse(f"admin:teams_{model}_changelist"), {"q": "e"}
    )
    change = admin_client.get(
        reverse(f"admin:teams_{model}_change", args=[objects[model].pk])
    )

    assert changelist.status_code == 200
    assert change.status_code == 200


def test_the_admin_changes_a_role(admin_client):
    team = TeamFactory()
    MembershipFactory(team=team, role=Role.OWNER)
    member = MembershipFactory(team=team, role=Role.MEMBER)

    admin_client.post(
        reverse("admin:teams_membership_change", args=[member.pk]), {"role": Role.ADMIN}
    )

    member.refresh_from_db()
    assert member.role == Role.ADMIN


def test_the_admin_keeps_a_teams_last_owner(admin_client):
    owner = MembershipFactory(role=Role.OWNER)

    response = admin_client.post(
        reverse("admin:teams_membership_change", args=[owner.pk]),
        {"role": Role.MEMBER},
        follow=True,
    )
    admin_client.post(
        reverse("admin:teams_membership_delete", args=[owner.pk]), {"post": "yes"}
    )
    admin_client.post(
        reverse("admin:teams_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [owner.pk], "post": "yes"},
    )

    assert "A team needs an owner" in response.text
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_admin_adds_and_removes_members(admin_client):
    team = TeamFactory()
    MembershipFactory(team=team, role=Role.OWNER)
    user = UserFactory()

    admin_client.post(
        reverse("admin:teams_membership_add"),
        {"user": user.pk, "team": team.pk, "role": Role.MEMBER},
    )
    added = Membership.objects.get(user=user, team=team)
    admin_client.post(
        reverse("admin:teams_membership_delete", args=[added.pk]), {"post": "yes"}
    )

    assert not Membership.objects.filter(pk=added.pk).exists()
