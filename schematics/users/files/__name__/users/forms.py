from django.contrib.auth import forms as auth_forms

from .models import User


class UserAdminCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "add user" form, asking for an email address."""

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserAdminChangeForm(auth_forms.UserChangeForm):
    """The admin's "change user" form."""

    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
