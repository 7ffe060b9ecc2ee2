"""The team pages: what each role may do, checked on the server."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ...users.tests.factories import UserFactory
from ..middleware import SESSION_KEY
from ..models import Invitation, Membership, Role, Team
from .factories import InvitationFactory, TeamFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Lab")


def url(name, team, *args):
    return reverse(f"teams:{name}", args=[team.slug, *args])


def membership(user, team):
    return Membership.objects.get(user=user, team=team)


def test_visitors_are_asked_to_sign_in(client, team):
    for address in (reverse("teams:list"), team.get_absolute_url()):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_the_users_teams_and_the_current_one(client, team):
    user = member_of(team)
    other = TeamFactory(name="Studio")
    membership_in_other = Membership.objects.create(
        user=user, team=other, role=Role.ADMIN
    )
    TeamFactory(name="Not mine")
    client.force_login(user)

    response = client.get(reverse("teams:list"))

    assert response.status_code == 200
    assert "base.html" in [template.name for template in response.templates]
    assert list(response.context["memberships"]) == [
        membership(user, team),
        membership_in_other,
    ]
    assert "Current team" in response.text
    assert f'action="{url("switch", other)}"' in response.text
    assert "Not mine" not in response.text
    assert f"Teams ({team.name})" in response.text


def test_the_list_says_when_the_user_is_in_no_team(client):
    client.force_login(UserFactory())

    assert "You are in no team yet." in client.get(reverse("teams:list")).text


def test_a_new_team_is_owned_by_its_creator_and_becomes_current(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("teams:list"), {"name": "Studio"}, follow=True)

    team = Team.objects.get(name="Studio")
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert membership(user, team).role == Role.OWNER
    assert client.session[SESSION_KEY] == team.pk
    assert "Team Studio created." in response.text


def test_a_team_needs_a_name(client):
    client.force_login(UserFactory())

    response = client.post(reverse("teams:list"), {"name": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not Team.objects.exists()


def test_switching_makes_a_team_current(client, team):
    user = member_of(TeamFactory())
    Membership.objects.create(user=user, team=team)
    client.force_login(user)

    response = client.post(url("switch", team), follow=True)

    assert client.session[SESSION_KEY] == team.pk
    assert response.wsgi_request.team == team
    assert "You are now working in Lab." in response.text


def test_switching_to_another_teams_slug_is_not_found(client, team):
    client.force_login(member_of(TeamFactory()))

    assert client.post(url("switch", team)).status_code == 404
    assert SESSION_KEY not in client.session


def test_members_see_the_members_and_no_admin_actions(client, team):
    owner = member_of(team, Role.OWNER, email="owner@example.com")
    member = member_of(team, email="member@example.com")
    InvitationFactory(team=team, email="pending@example.com")
    client.force_login(member)

    response = client.get(team.get_absolute_url())

    assert response.status_code == 200
    assert "owner@example.com" in response.text
    assert "member@example.com" in response.text
    assert "pending@example.com" not in response.text
    assert url("invite", team) not in response.text
    assert url("delete", team) not in response.text
    assert url("remove_member", team, membership(owner, team).pk) not in response.text
    assert url("leave", team) in response.text


def test_owners_see_every_action(client, team):
    owner = member_of(team, Role.OWNER)
    member = member_of(team)
    InvitationFactory(team=team, email="pending@example.com")
    client.force_login(owner)

    response = client.get(team.get_absolute_url())

    for action in ("invite", "rename", "delete"):
        assert url(action, team) in response.text
    assert url("remove_member", team, membership(member, team).pk) in response.text
    assert "pending@example.com" in response.text


@pytest.mark.parametrize(
    ("name", "extra"),
    [("invite", []), ("rename", []), ("delete", [])],
)
def test_members_are_refused_the_admin_pages(client, team, name, extra):
    client.force_login(member_of(team))

    assert client.get(url(name, team, *extra)).status_code == 403
    assert client.post(url(name, team, *extra)).status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


def test_admins_are_refused_deleting_the_team(client, team):
    client.force_login(member_of(team, Role.ADMIN))

    assert client.post(url("delete", team)).status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


def test_an_invitation_is_emailed_with_a_text_and_an_html_part(client, team):
    admin = member_of(team, Role.ADMIN, email="admin@example.com")
    client.force_login(admin)
    page = client.get(url("invite", team))
    assert [value for value, _label in page.context["form"].fields["role"].choices] == [
        Role.ADMIN,
        Role.MEMBER,
    ]

    response = client.post(
        url("invite", team), {"email": "new@example.com", "role": Role.ADMIN}
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.email, invitation.role) == (
        team,
        "new@example.com",
        Role.ADMIN,
    )
    assert invitation.invited_by == admin
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert message.subject == "Join Lab"
    link = f"http://testserver/teams/invitations/{invitation.token}/"
    assert link in message.body
    assert "admin@example.com invites you to join Lab as admin." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{link}">Join Lab</a>' in html


def test_a_team_name_on_several_lines_gives_a_one_line_subject(client):
    team = TeamFactory(name="Lab\nand\r\nfriends")
    client.force_login(member_of(team, Role.OWNER))

    client.post(url("invite", team), {"email": "new@example.com", "role": Role.MEMBER})

    [message] = mail.outbox
    assert message.subject == "Join Lab and friends"


@override_settings(TEAMS_INVITATIONS_PER_HOUR=2)
def test_a_team_sends_at_most_its_hourly_limit_of_invitations(client, team):
    client.force_login(member_of(team, Role.OWNER))
    InvitationFactory(team=team)
    older = InvitationFactory(team=team)
    Invitation.objects.filter(pk=older.pk).update(
        created=timezone.now() - timedelta(hours=1, minutes=1)
    )
    InvitationFactory.create_batch(3, team=TeamFactory())

    def invite(email):
        return client.post(url("invite", team), {"email": email, "role": Role.MEMBER})

    sent = invite("a@example.com")
    refused = invite("b@example.com")

    assert sent.status_code == 302
    assert refused.status_code == 429
    assert "sent 2 invitations in the last hour" in refused.text
    assert not Invitation.objects.filter(email="b@example.com").exists()
    assert [message.to for message in mail.outbox] == [["a@example.com"]]


def test_admins_cannot_invite_owners(client, team):
    client.force_login(member_of(team, Role.ADMIN))

    response = client.post(
        url("invite", team), {"email": "new@example.com", "role": Role.OWNER}
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_admin_withdraws_an_invitation(client, team):
    client.force_login(member_of(team, Role.ADMIN))
    invitation = InvitationFactory(team=team)

    response = client.post(url("revoke_invitation", team, invitation.pk))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked is not None


def test_members_cannot_withdraw_invitations(client, team):
    client.force_login(member_of(team))
    invitation = InvitationFactory(team=team)

    assert client.post(url("revoke_invitation", team, invitation.pk)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked is None


def test_an_admin_changes_a_members_role_at_once(client, team):
    client.force_login(member_of(team, Role.ADMIN))
    member = membership(member_of(team), team)

    response = client.post(
        url("change_role", team, member.pk), {"role": Role.ADMIN}, follow=True
    )

    member.refresh_from_db()
    assert member.role == Role.ADMIN
    assert f"{member.user} is now Admin." in response.text


def test_admins_cannot_make_owners_nor_touch_them(client, team):
    client.force_login(member_of(team, Role.ADMIN))
    member = membership(member_of(team), team)
    owner = membership(member_of(team, Role.OWNER), team)

    promote = client.post(url("change_role", team, member.pk), {"role": Role.OWNER})
    demote = client.post(url("change_role", team, owner.pk), {"role": Role.MEMBER})
    remove = client.post(url("remove_member", team, owner.pk))

    assert (promote.status_code, demote.status_code, remove.status_code) == (
        403,
        403,
        403,
    )
    member.refresh_from_db()
    owner.refresh_from_db()
    assert (member.role, owner.role) == (Role.MEMBER, Role.OWNER)


def test_members_cannot_change_roles_nor_remove_anyone(client, team):
    user = member_of(team)
    client.force_login(user)
    other = membership(member_of(team), team)

    assert (
        client.post(
            url("change_role", team, other.pk), {"role": Role.ADMIN}
        ).status_code
        == 403
    )
    assert client.post(url("remove_member", team, other.pk)).status_code == 403
    other.refresh_from_db()
    assert other.role == Role.MEMBER


def test_an_owner_makes_another_owner_and_can_then_step_down(client, team):
    owner = member_of(team, Role.OWNER)
    client.force_login(owner)
    other = membership(member_of(team), team)

    client.post(url("change_role", team, other.pk), {"role": Role.OWNER})
    other.refresh_from_db()
    assert other.role == Role.OWNER

    client.force_login(other.user)
    client.post(
        url("change_role", team, membership(owner, team).pk), {"role": Role.MEMBER}
    )
    assert membership(owner, team).role == Role.MEMBER


def test_the_last_owner_cannot_leave(client, team):
    owner = member_of(team, Role.OWNER)
    client.force_login(owner)

    response = client.post(url("leave", team), follow=True)

    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert "A team needs an owner" in response.text
    assert membership(owner, team).role == Role.OWNER


def test_the_last_owner_cannot_step_down(client, team):
    owner = membership(member_of(team, Role.OWNER), team)
    client.force_login(owner.user)

    response = client.post(
        url("change_role", team, owner.pk), {"role": Role.MEMBER}, follow=True
    )

    assert "A team needs an owner" in response.text
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_an_owner_removes_a_member_who_then_loses_access(client, team):
    client.force_login(member_of(team, Role.OWNER))
    member = member_of(team)
    target = membership(member, team)

    response = client.post(url("remove_member", team, target.pk), follow=True)

    assert not Membership.objects.filter(pk=target.pk).exists()
    assert f"{member} was removed from the team." in response.text
    client.force_login(member)
    assert client.get(team.get_absolute_url()).status_code == 404


def test_an_unknown_role_is_refused(client, team):
    client.force_login(member_of(team, Role.OWNER))
    member = membership(member_of(team), team)

    response = client.post(url("change_role", team, member.pk), {"role": "king"})

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_a_member_leaves(client, team):
    user = member_of(team)
    client.force_login(user)

    response = client.post(url("leave", team), follow=True)

    assert response.redirect_chain[-1][0] == reverse("teams:list")
    assert "You left Lab." in response.text
    assert not Membership.objects.filter(user=user).exists()


def test_an_admin_renames_the_team(client, team):
    client.force_login(member_of(team, Role.ADMIN))
    assert client.get(url("rename", team)).status_code == 200

    response = client.post(url("rename", team), {"name": "Laboratory"}, follow=True)

    team.refresh_from_db()
    assert team.name == "Laboratory"
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert "Team renamed." in response.text


def test_the_owner_deletes_the_team_after_confirming(client, team):
    client.force_login(member_of(team, Role.OWNER))
    InvitationFactory(team=team)

    page = client.get(url("delete", team))
    assert page.status_code == 200
    assert "This cannot be undone." in page.text
    assert Team.objects.filter(pk=team.pk).exists()

    response = client.post(url("delete", team), follow=True)

    assert response.redirect_chain[-1][0] == reverse("teams:list")
    assert "Team Lab deleted." in response.text
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Membership.objects.exists()
    assert not Invitation.objects.exists()
