"""Each team's data stays its own: a member of team A gets 404 for team B's objects.

The test finds, in the URLconf, every view built on ``TeamScopedMixin`` that shows or
changes one object (a ``pk`` in its URL), makes an object of its model for another team,
and requests it as an owner of their own team: the answer must be 404. It also checks
that every model with a foreign key to ``Team`` has such a view. Keep it passing as the
project grows: see "Teams" in README.md.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, get_resolver, reverse

from ..membership import create_team
from ..models import Membership, Team
from ..scoping import TeamScopedMixin
from .factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# How to make an object for a team, when ``objects.create(team=team)`` cannot.
FACTORIES = {
    Membership: lambda team: MembershipFactory(team=team),
}

# Models with a foreign key to Team that no team-scoped view shows, on purpose.
NOT_VIEWED: set[type] = set()


def team_models() -> list[type]:
    # Many rows per team (a ForeignKey), not one (a OneToOneField, such as billing's
    # customer with the billing module): the team's own record, shown by no list.
    return [
        model
        for model in apps.get_models()
        if any(
            field.many_to_one and field.related_model is Team
            for field in model._meta.fields
        )
    ]


def scoped_views(patterns=None, prefix="", names=()):
    """(URL name, view class, URL keyword names) of each team-scoped object view."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        keywords = (*names, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", None)
            if view and issubclass(view, TeamScopedMixin) and "pk" in keywords:
                found.append((f"{prefix}{entry.name}", view, keywords))
        else:
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += scoped_views(entry.url_patterns, namespace, keywords)
    return found


def make(model, team):
    factory = FACTORIES.get(model)
    return factory(team) if factory else model._default_manager.create(team=team)


def test_every_model_of_team_data_has_a_team_scoped_view():
    viewed = {view.model for _name, view, _keywords in scoped_views()}

    missing = [
        model._meta.label
        for model in team_models()
        if model not in viewed and model not in NOT_VIEWED
    ]

    assert not missing, (
        f"No team-scoped view shows {', '.join(missing)}: give it one built on "
        "TeamScopedMixin, or add it to NOT_VIEWED."
    )


@pytest.mark.parametrize(
    ("name", "view", "keywords"),
    scoped_views(),
    ids=[name for name, _view, _keywords in scoped_views()],
)
def test_a_member_of_one_team_gets_404_for_another_teams_object(
    client, name, view, keywords
):
    user = UserFactory()
    mine = create_team(user, "Mine")
    theirs = TeamFactory(name="Theirs")
    client.force_login(user)
    send = client.get if hasattr(view, "get") else client.post

    def address(obj):
        values = {"pk": obj.pk, "team_slug": mine.slug}
        return reverse(name, kwargs={key: values[key] for key in keywords})

    assert send(address(make(view.model, theirs))).status_code == 404
    # The same view serves the user's own team: the 404 above is the scoping's.
    assert send(address(make(view.model, mine))).status_code != 404
