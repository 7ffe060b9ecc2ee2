from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, Team


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ("name",)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            choice for choice in Role.choices if choice[0] in roles
        ]
        self.fields["role"].initial = Role.MEMBER


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            choice for choice in Role.choices if choice[0] in roles
        ]
