"""``request.team``: the team the request acts for, and ``request.membership`` in it.

The team comes from the URL (the ``team_slug`` of the team pages) or, on other pages,
from the session, where switching teams stores it. Either way it is used only when the
signed-in user is a member: a slug of someone else's team gives 404, and a team in the
session that the user has left falls back to their first team. No parameter of the
request is trusted as it comes.
"""

from django.http import Http404

from .models import Membership

SESSION_KEY = "team_id"


class TeamMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.team = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        if not request.user.is_authenticated:
            return
        memberships = Membership.objects.select_related("team").filter(
            user=request.user
        )
        slug = view_kwargs.get("team_slug")
        if slug is not None:
            membership = memberships.filter(team__slug=slug).first()
            if membership is None:
                raise Http404("No team of yours has this address.")
        else:
            team_id = request.session.get(SESSION_KEY)
            membership = (
                memberships.filter(team_id=team_id).first() if team_id else None
            )
            membership = membership or memberships.order_by("joined", "pk").first()
        if membership is not None:
            request.membership = membership
            request.team = membership.team


def switch_team(request, membership: Membership) -> None:
    """Makes ``membership``'s team the current one, for pages without a team slug."""
    request.session[SESSION_KEY] = membership.team_id
    request.membership = membership
    request.team = membership.team
