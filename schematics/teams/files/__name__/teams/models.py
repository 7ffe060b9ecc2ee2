"""Teams, the people in them with their roles, and invitations to join them.

A team always has at least one owner: the functions of ``membership.py`` that change
roles and remove people refuse to take away the last one, and so do the admin and the
team pages, which go through them.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member may do, from most to least: see ``can`` in ``permissions.py``."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # In the address of every team page: /teams/<slug>/.
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # A personal team is made for each account at sign-up.
    personal = models.BooleanField(_("personal"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", kwargs={"team_slug": self.slug})


def unique_slug(name: str) -> str:
    """A slug for a new team: its name's, then a random suffix if that one is taken."""
    base = slugify(name)[:100] or "team"
    slug = base
    while Team.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    joined = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ("team", "user__email")
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "team"),
                name="teams_membership_one_per_user_and_team",
                violation_error_message=_("This person is already in the team."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.TEAMS_INVITATION_DAYS)


class Invitation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    # The secret of the emailed link: whoever holds it may sign up with the address.
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ("-created", "pk")
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} to {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("teams:invitation", kwargs={"token": self.token})

    @property
    def problem(self) -> str:
        """Why the invitation can no longer be accepted, or an empty string."""
        if self.revoked:
            return _("This invitation was withdrawn.")
        if self.accepted:
            return _("This invitation was already used.")
        if self.expires <= timezone.now():
            return _("This invitation has expired.")
        return ""
