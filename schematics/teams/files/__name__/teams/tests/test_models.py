from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from ..models import Role
from .factories import InvitationFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_team_gets_the_slug_of_its_name():
    team = TeamFactory(name="Research & Development")

    assert team.slug == "research-development"
    assert str(team) == "Research & Development"
    assert team.get_absolute_url() == "/teams/research-development/"


def test_a_taken_slug_gets_a_random_suffix():
    first = TeamFactory(name="Design")
    second = TeamFactory(name="Design")

    assert first.slug == "design"
    assert second.slug.startswith("design-")
    assert second.slug != first.slug


def test_a_name_without_letters_still_gets_a_slug():
    assert TeamFactory(name="!!!").slug == "team"


def test_renaming_keeps_the_slug():
    team = TeamFactory(name="Design")
    team.name = "Product design"
    team.save()

    team.refresh_from_db()
    assert team.slug == "design"


def test_someone_is_in_a_team_once():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, team=membership.team, role=Role.ADMIN)


def test_a_membership_names_the_person_team_and_role():
    membership = MembershipFactory(
        user__email="ada@example.com", team__name="Lab", role=Role.ADMIN
    )

    assert str(membership) == "ada@example.com in Lab (Admin)"


def test_an_invitation_is_valid_for_a_week_with_a_secret_token():
    invitation = InvitationFactory(email="bo@example.com", team__name="Lab")

    assert str(invitation) == "bo@example.com to Lab"
    assert len(invitation.token) >= 43
    assert InvitationFactory().token != invitation.token
    assert invitation.expires - timezone.now() > timedelta(days=6, hours=23)
    assert invitation.problem == ""
    assert invitation.get_absolute_url() == f"/teams/invitations/{invitation.token}/"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"revoked": timezone.now()}, "This invitation was withdrawn."),
        ({"accepted": timezone.now()}, "This invitation was already used."),
        ({"expires": timezone.now()}, "This invitation has expired."),
    ],
)
def test_an_invitation_says_why_it_can_no_longer_be_used(changes, problem):
    assert InvitationFactory(**changes).problem == problem
