from django.contrib import admin, messages

from .membership import LastOwnerError, change_role, remove_member
from .models import Invitation, Membership, Team


class MembershipInline(admin.TabularInline):
    """Who is in the team; roles change on each membership's own page."""

    model = Membership
    extra = 0
    fields = readonly_fields = ("user", "role", "joined")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "personal", "created")
    list_filter = ("personal",)
    search_fields = ("name", "slug")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Role changes and removals go through membership.py: a team keeps an owner."""

    list_display = ("user", "team", "role", "joined")
    list_filter = ("role",)
    search_fields = ("user__email", "team__name")
    autocomplete_fields = ("user", "team")

    def get_readonly_fields(self, request, obj=None):
        # Someone else in another team is a new membership, not an edit of this one.
        return ("user", "team") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        if change and "role" in form.changed_data:
            try:
                change_role(obj, obj.role)
            except LastOwnerError as error:
                self.message_user(request, error.message, messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        try:
            remove_member(obj)
        except LastOwnerError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "team",
        "role",
        "created",
        "expires",
        "accepted",
        "revoked",
    )
    list_filter = ("role",)
    search_fields = ("email", "team__name")
    autocomplete_fields = ("team",)
    readonly_fields = ("token", "invited_by", "created", "accepted")
