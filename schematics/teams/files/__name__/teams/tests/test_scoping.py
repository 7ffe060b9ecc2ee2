import pytest
from django.http import Http404
from django.views.generic import DetailView

from ...users.tests.factories import UserFactory
from ..models import Invitation
from ..scoping import TeamScopedMixin, TeamScopedQuerySet
from .factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


class InvitationDetail(TeamScopedMixin, DetailView):
    model = Invitation


def test_for_team_keeps_the_teams_rows():
    team = TeamFactory()
    mine = InvitationFactory(team=team)
    InvitationFactory()

    assert list(TeamScopedQuerySet(model=Invitation).for_team(team)) == [mine]


def test_a_scoped_view_shows_nothing_to_someone_in_no_team(rf):
    request = rf.get("/")
    request.user = UserFactory()
    request.team = None

    with pytest.raises(Http404):
        InvitationDetail.as_view()(request, pk=InvitationFactory().pk)
