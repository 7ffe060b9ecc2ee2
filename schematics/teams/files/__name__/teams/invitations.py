"""Inviting people by email, and accepting an invitation, signed up or not."""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .membership import add_member
from .middleware import switch_team
from .models import Invitation, Membership, Team

# The token of the invitation a visitor opened before signing up.
PENDING_KEY = "team_invitation_token"


def send_invitation(request, team: Team, email: str, role: str) -> Invitation:
    """Records an invitation and mails its link, in a text and an HTML part."""
    invitation = Invitation.objects.create(
        team=team, email=email, role=role, invited_by=request.user
    )
    context = {
        "invitation": invitation,
        "inviter": request.user,
        "link": request.build_absolute_uri(invitation.get_absolute_url()),
    }
    # One line, whatever the team's name holds: a header cannot have a line break.
    subject = " ".join(
        render_to_string("teams/email/invitation_subject.txt", context).split()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("teams/email/invitation.txt", context),
        to=[email],
    )
    message.attach_alternative(
        render_to_string("teams/email/invitation.html", context), "text/html"
    )
    message.send()
    return invitation


def sent_in_the_last_hour(team: Team) -> int:
    """How many invitations ``team`` sent in the last hour, for its hourly limit."""
    since = timezone.now() - timedelta(hours=1)
    return Invitation.objects.filter(team=team, created__gte=since).count()


def is_for(invitation: Invitation, user) -> bool:
    return invitation.email.casefold() == user.email.casefold()


def accept(request, invitation: Invitation, user) -> Membership:
    """Puts ``user`` in the team (once: the token cannot be used again)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.problem:
            raise ValueError(locked.problem)
        membership = add_member(locked.team, user, locked.role)
        locked.accepted = timezone.now()
        locked.save(update_fields=["accepted"])
    switch_team(request, membership)
    return membership


def remember_for_sign_up(request, invitation: Invitation) -> None:
    """A visitor opened the link: signing up with its address joins the team.

    The link came to that address, so allauth may count it as confirmed and skip its
    own confirmation email (``stash_verified_email``).
    """
    request.session[PENDING_KEY] = invitation.token
    get_adapter(request).stash_verified_email(request, invitation.email)


def accept_pending_invitation(request, user) -> Membership | None:
    """At sign-up: joins the team whose invitation brought the visitor, if valid."""
    token = request.session.pop(PENDING_KEY, None) if request else None
    invitation = Invitation.objects.filter(token=token).first() if token else None
    if invitation is None or invitation.problem or not is_for(invitation, user):
        return None
    return accept(request, invitation, user)
