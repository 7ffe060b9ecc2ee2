from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .managers import UserManager


class User(AbstractUser):
    """A user who signs in with an email address.

    Replaces Django's username with a unique email address, and the first and last
    names with a single ``name``, which fits every naming convention. An address is
    unique whatever its case: ``Ann@example.com`` and ``ann@example.com`` are one
    person, and either signs in (see ``UserManager.get_by_natural_key``).
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta(AbstractUser.Meta):
        constraints: ClassVar = [
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_case_insensitive_unique",
                violation_error_message=_(
                    "A user with this email address already exists."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name
