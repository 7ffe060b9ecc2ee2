"""The team pages. Each checks the signed-in user's role in the team on the server.

Pages under /teams/<team_slug>/ act on that team: the middleware gives 404 to anyone
who is not in it, and ``TeamPageMixin`` gives 403 to a member whose role does not
allow the page's ``action`` (permissions.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin

from .forms import InvitationForm, RoleForm, TeamForm
from .invitations import (
    accept,
    is_for,
    remember_for_sign_up,
    send_invitation,
    sent_in_the_last_hour,
)
from .membership import LastOwnerError, change_role, create_team, remove_member
from .middleware import switch_team
from .models import Invitation, Membership, Role
from .permissions import can, roles_given_by
from .scoping import TeamScopedMixin


class TeamPageMixin(LoginRequiredMixin):
    """A page of the team in the URL, open to the roles that may take ``action``."""

    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(
            request.membership.role, self.action
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TeamListView(LoginRequiredMixin, TemplateView):
    """The user's teams, the current one marked, with a switch and a new team form."""

    template_name = "teams/team_list.html"

    def get_context_data(self, **kwargs):
        memberships = self.request.user.memberships.select_related("team")
        kwargs.setdefault("form", TeamForm())
        return super().get_context_data(
            memberships=memberships.order_by("team__name", "team__pk"), **kwargs
        )

    def post(self, request):
        form = TeamForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        team = create_team(request.user, form.cleaned_data["name"])
        switch_team(request, team.memberships.get(user=request.user))
        messages.success(request, _("Team %(name)s created.") % {"name": team.name})
        return redirect(team)


class SwitchTeamView(TeamPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, team_slug):
        switch_team(request, request.membership)
        messages.success(
            request, _("You are now working in %(name)s.") % {"name": request.team}
        )
        return redirect("teams:list")


class TeamDetailView(TeamPageMixin, TemplateView):
    """The members with their roles, and what the user's role lets them do."""

    template_name = "teams/team_detail.html"

    def get_context_data(self, **kwargs):
        role = self.request.membership.role
        team = self.request.team
        members = team.memberships.select_related("user").order_by("user__email")
        givable = roles_given_by(role)
        rows = [
            {
                "membership": membership,
                "manageable": membership != self.request.membership
                and self.may_manage(role, membership),
                "role_form": RoleForm(
                    initial={"role": membership.role},
                    roles=givable,
                    auto_id=f"id_member_{membership.pk}_%s",
                ),
            }
            for membership in members
        ]
        pending = team.invitations.filter(
            accepted=None, revoked=None, expires__gt=timezone.now()
        )
        return super().get_context_data(
            team=team,
            rows=rows,
            invitations=pending if can(role, "invite") else [],
            can_invite=can(role, "invite"),
            can_rename=can(role, "rename"),
            can_delete=can(role, "delete"),
            **kwargs,
        )

    @staticmethod
    def may_manage(role: str, membership: Membership) -> bool:
        if membership.role == Role.OWNER:
            return can(role, "manage_owners")
        return can(role, "manage_members")


class InviteView(TeamPageMixin, FormView):
    action = "invite"
    template_name = "teams/invite.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "roles": roles_given_by(self.request.membership.role),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(days=settings.TEAMS_INVITATION_DAYS, **kwargs)

    def form_valid(self, form):
        limit = settings.TEAMS_INVITATIONS_PER_HOUR
        if sent_in_the_last_hour(self.request.team) >= limit:
            form.add_error(
                None,
                _(
                    "This team has sent %(count)d invitations in the last hour, "
                    "its limit: try again later."
                )
                % {"count": limit},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email = form.cleaned_data["email"]
        send_invitation(
            self.request, self.request.team, email, form.cleaned_data["role"]
        )
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": email}
        )
        return redirect(self.request.team)


class MemberActionView(TeamPageMixin, TeamScopedMixin, SingleObjectMixin, View):
    """A change to another member of the team in the URL (a member of another: 404)."""

    action = "manage_members"
    model = Membership
    http_method_names = ["post"]

    def post(self, request, team_slug, pk):
        membership = self.get_object()
        if membership.role == Role.OWNER and not can(
            request.membership.role, "manage_owners"
        ):
            raise PermissionDenied
        try:
            self.change(membership)
        except LastOwnerError as error:
            messages.error(request, error.message)
        return redirect(request.team)


class ChangeRoleView(MemberActionView):
    def change(self, membership: Membership) -> None:
        form = RoleForm(
            self.request.POST, roles=roles_given_by(self.request.membership.role)
        )
        if not form.is_valid():
            raise PermissionDenied
        change_role(membership, form.cleaned_data["role"])
        messages.success(
            self.request,
            _("%(user)s is now %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display()},
        )


class RemoveMemberView(MemberActionView):
    def change(self, membership: Membership) -> None:
        remove_member(membership)
        messages.success(
            self.request,
            _("%(user)s was removed from the team.") % {"user": membership.user},
        )


class RevokeInvitationView(TeamPageMixin, TeamScopedMixin, SingleObjectMixin, View):
    action = "invite"
    model = Invitation
    http_method_names = ["post"]

    def post(self, request, team_slug, pk):
        invitation = self.get_object()
        invitation.revoked = timezone.now()
        invitation.save(update_fields=["revoked"])
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.")
            % {"email": invitation.email},
        )
        return redirect(request.team)


class LeaveTeamView(TeamPageMixin, View):
    action = "leave"
    http_method_names = ["post"]

    def post(self, request, team_slug):
        try:
            remove_member(request.membership)
        except LastOwnerError as error:
            messages.error(request, error.message)
            return redirect(request.team)
        messages.success(request, _("You left %(name)s.") % {"name": request.team})
        return redirect("teams:list")


class RenameTeamView(TeamPageMixin, UpdateView):
    action = "rename"
    form_class = TeamForm
    template_name = "teams/team_form.html"

    def get_object(self, queryset=None):
        return self.request.team

    def form_valid(self, form):
        messages.success(self.request, _("Team renamed."))
        return super().form_valid(form)


class DeleteTeamView(TeamPageMixin, TemplateView):
    """Asks first; the POST deletes the team with its memberships and invitations."""

    action = "delete"
    template_name = "teams/team_confirm_delete.html"

    def post(self, request, team_slug):
        name = request.team.name
        request.team.delete()
        messages.success(request, _("Team %(name)s deleted.") % {"name": name})
        return redirect("teams:list")


class InvitationView(TemplateView):
    """The link of an invitation email: join the team, after signing up or in."""

    template_name = "teams/invitation.html"

    def dispatch(self, request, token):
        invitation = Invitation.objects.select_related("team").filter(token=token)
        self.invitation = invitation.first()
        if self.invitation is None:
            return refuse(request, _("This invitation link is not valid."), 404)
        if self.invitation.problem:
            return refuse(request, self.invitation.problem, 410)
        if request.user.is_authenticated and not is_for(self.invitation, request.user):
            return refuse(
                request,
                _(
                    "This invitation was sent to another email address. Sign out, then"
                    " open the link again and sign in with that address."
                ),
                403,
            )
        return super().dispatch(request, token)

    def get(self, request, token):
        if not request.user.is_authenticated:
            remember_for_sign_up(request, self.invitation)
        return self.render_to_response(
            self.get_context_data(
                invitation=self.invitation,
                after_sign_up=self.invitation.team.get_absolute_url(),
            )
        )

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = accept(request, self.invitation, request.user)
        except ValueError as error:
            return refuse(request, str(error), 410)
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": membership.team.name}
        )
        return redirect(membership.team)


def refuse(request, reason: str, status: int):
    return render(
        request,
        "teams/invitation_refused.html",
        {"reason": reason, "teams_url": reverse("teams:list")},
        status=status,
    )
