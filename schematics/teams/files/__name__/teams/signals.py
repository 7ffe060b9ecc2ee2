from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .invitations import accept_pending_invitation
from .membership import create_team


@receiver(user_signed_up, dispatch_uid="teams_personal_team")
def give_a_personal_team(sender, request, user, **kwargs) -> None:
    """Every new account gets a team of its own, and the one it was invited to."""
    create_team(user, _("Personal"), personal=True)
    accept_pending_invitation(request, user)
