"""Accepting an invitation: signed in, or by signing up through its link."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ...users.models import User
from ...users.tests.factories import UserFactory
from .. import views
from ..invitations import accept
from ..middleware import SESSION_KEY
from ..models import Invitation, Membership, Role
from .factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture(autouse=True)
def _no_rate_limits_from_other_tests():
    """allauth counts sign-ups in the cache, which lives as long as the test run."""
    cache.clear()


@pytest.fixture
def invitation():
    return InvitationFactory(email="Invited@Example.com", team__name="Lab")


def sign_up(client, email, next_url=""):
    return client.post(
        f"{reverse('account_signup')}?next={next_url}",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def test_sign_up_gives_a_personal_team(client):
    response = sign_up(client, "new@example.com")

    user = User.objects.get(email="new@example.com")
    [membership] = Membership.objects.filter(user=user)
    assert membership.team.personal
    assert membership.role == Role.OWNER
    assert response.status_code == 200


def test_a_visitor_is_offered_to_sign_up_with_the_invited_address(client, invitation):
    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 200
    assert "Join Lab" in response.text
    assert "Invited@Example.com" in response.text
    signup = f"{reverse('account_signup')}?next={invitation.team.get_absolute_url()}"
    assert f'href="{signup}"' in response.text
    login = f"{reverse('account_login')}?next={invitation.get_absolute_url()}"
    assert f'href="{login}"' in response.text


def test_signing_up_through_the_link_lands_in_the_team(client, invitation):
    client.get(invitation.get_absolute_url())

    response = sign_up(
        client, "invited@example.com", invitation.team.get_absolute_url()
    )

    user = User.objects.get(email="invited@example.com")
    assert response.redirect_chain[-1][0] == invitation.team.get_absolute_url()
    assert response.wsgi_request.user == user
    assert Membership.objects.get(user=user, team=invitation.team).role == Role.MEMBER
    assert Membership.objects.get(user=user, team__personal=True).role == Role.OWNER
    assert client.session[SESSION_KEY] == invitation.team.pk
    # The link proved the address: no confirmation email.
    assert EmailAddress.objects.get(user=user).verified
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.accepted is not None


def test_the_link_gives_the_account_the_invited_address(client, invitation):
    """allauth's rule: the link proved the invited address, which the account gets."""
    client.get(invitation.get_absolute_url())

    sign_up(client, "typo@example.com")

    user = User.objects.get(email__iexact="invited@example.com")
    assert Membership.objects.filter(user=user, team=invitation.team).exists()
    addresses = EmailAddress.objects.filter(user=user)
    assert {(a.email.lower(), a.verified) for a in addresses} == {
        ("invited@example.com", True),
        ("typo@example.com", False),
    }


def test_an_invitation_withdrawn_before_sign_up_does_not_join(client, invitation):
    client.get(invitation.get_absolute_url())
    invitation.revoked = timezone.now()
    invitation.save()

    sign_up(client, "invited@example.com")

    user = User.objects.get(email="invited@example.com")
    assert not Membership.objects.filter(user=user, team=invitation.team).exists()


def test_someone_with_an_account_signs_in_then_joins(client, invitation):
    user = UserFactory(email="invited@example.com")
    client.force_login(user)

    page = client.get(invitation.get_absolute_url())
    assert '<button type="submit">Join Lab</button>' in page.text

    response = client.post(invitation.get_absolute_url(), follow=True)

    assert response.redirect_chain[-1][0] == invitation.team.get_absolute_url()
    assert "Welcome to Lab." in response.text
    assert Membership.objects.get(user=user, team=invitation.team).role == Role.MEMBER
    assert client.session[SESSION_KEY] == invitation.team.pk


def test_joining_asks_visitors_to_sign_in_first(client, invitation):
    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.exists()


def test_an_invitation_for_another_address_is_refused(client, invitation):
    client.force_login(UserFactory(email="someone-else@example.com"))

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 403
    assert "sent to another email address" in response.text
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"expires": timezone.now()}, "This invitation has expired."),
        ({"revoked": timezone.now()}, "This invitation was withdrawn."),
        ({"accepted": timezone.now()}, "This invitation was already used."),
    ],
)
def test_a_spent_invitation_is_refused_with_a_clear_page(client, changes, reason):
    invitation = InvitationFactory(email="invited@example.com", **changes)
    client.force_login(UserFactory(email="invited@example.com"))

    for response in (
        client.get(invitation.get_absolute_url()),
        client.post(invitation.get_absolute_url()),
    ):
        assert response.status_code == 410
        assert "This invitation cannot be used" in response.text
        assert reason in response.text
    assert not Membership.objects.exists()


def test_a_token_can_be_used_once(client, invitation):
    client.force_login(UserFactory(email="invited@example.com"))
    client.post(invitation.get_absolute_url())

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation was already used." in response.text


def test_an_invitation_used_meanwhile_in_another_tab_is_refused(
    client, invitation, monkeypatch
):
    def another_tab_first(request, spent, user):
        Invitation.objects.filter(pk=spent.pk).update(accepted=timezone.now())
        return accept(request, spent, user)

    monkeypatch.setattr(views, "accept", another_tab_first)
    client.force_login(UserFactory(email="invited@example.com"))

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation was already used." in response.text
    assert not Membership.objects.filter(team=invitation.team).exists()


def test_an_unknown_token_is_not_found(client):
    response = client.get(reverse("teams:invitation", args=["not-a-token"]))

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.text


def test_the_team_list_is_linked_from_a_refusal_for_signed_in_people(client):
    client.force_login(UserFactory())
    invitation = InvitationFactory(team=TeamFactory(), revoked=timezone.now())

    response = client.get(invitation.get_absolute_url())

    assert f'href="{reverse("teams:list")}"' in response.text
