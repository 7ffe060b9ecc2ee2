"""request.team: from the URL or the session, and only ever a team of the user's."""

import pytest
from django.urls import reverse

from ...users.tests.factories import UserFactory
from ..middleware import SESSION_KEY
from ..models import Role
from .factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def current_team(client, url=None):
    return client.get(url or reverse("index")).wsgi_request.team


def test_visitors_have_no_team(client):
    assert current_team(client) is None


def test_someone_in_no_team_has_none(client):
    client.force_login(UserFactory())

    assert current_team(client) is None


def test_without_a_choice_it_is_the_first_team_joined(client):
    first = MembershipFactory()
    MembershipFactory(user=first.user)
    client.force_login(first.user)

    response = client.get(reverse("index"))

    assert response.wsgi_request.team == first.team
    assert response.wsgi_request.membership == first


def test_the_team_in_the_session_is_the_current_one(client):
    first = MembershipFactory()
    second = MembershipFactory(user=first.user, role=Role.ADMIN)
    client.force_login(first.user)
    session = client.session
    session[SESSION_KEY] = second.team_id
    session.save()

    assert current_team(client) == second.team


def test_a_team_in_the_session_the_user_is_not_in_is_ignored(client):
    mine = MembershipFactory()
    client.force_login(mine.user)
    session = client.session
    session[SESSION_KEY] = TeamFactory().pk
    session.save()

    assert current_team(client) == mine.team


def test_the_team_in_the_url_wins_over_the_session(client):
    first = MembershipFactory()
    second = MembershipFactory(user=first.user)
    client.force_login(first.user)

    team = current_team(client, second.team.get_absolute_url())

    assert team == second.team


def test_another_teams_address_is_not_found(client):
    client.force_login(MembershipFactory().user)

    response = client.get(TeamFactory().get_absolute_url())

    assert response.status_code == 404
