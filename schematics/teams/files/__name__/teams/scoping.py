"""Row-level isolation between teams: a model base and a view mixin.

A model of the team's own data inherits ``TeamScopedModel`` (a ``team`` foreign key
and ``objects.for_team(team)``), and its views mix in ``TeamScopedMixin``, which
limits their queryset to ``request.team``: another team's object is a 404, whatever
its id. ``tests/test_team_isolation.py`` checks every such view. See "Teams" in
README.md.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import Http404


class TeamScopedQuerySet(models.QuerySet):
    def for_team(self, team):
        return self.filter(team=team)


class TeamScopedModel(models.Model):
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="%(app_label)s_%(class)ss"
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class TeamScopedMixin(LoginRequiredMixin):
    """Class-based views of a model with a ``team``: only ``request.team``'s rows."""

    model: type[models.Model]

    def get_queryset(self):
        team = self.request.team
        if team is None:
            raise Http404("You are in no team.")
        return self.model._default_manager.filter(team=team)
