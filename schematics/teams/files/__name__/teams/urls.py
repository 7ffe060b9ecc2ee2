from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.TeamListView.as_view(), name="list"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("<slug:team_slug>/", views.TeamDetailView.as_view(), name="detail"),
    path("<slug:team_slug>/switch/", views.SwitchTeamView.as_view(), name="switch"),
    path("<slug:team_slug>/invite/", views.InviteView.as_view(), name="invite"),
    path(
        "<slug:team_slug>/members/<int:pk>/role/",
        views.ChangeRoleView.as_view(),
        name="change_role",
    ),
    path(
        "<slug:team_slug>/members/<int:pk>/remove/",
        views.RemoveMemberView.as_view(),
        name="remove_member",
    ),
    path(
        "<slug:team_slug>/invitations/<int:pk>/revoke/",
        views.RevokeInvitationView.as_view(),
        name="revoke_invitation",
    ),
    path("<slug:team_slug>/leave/", views.LeaveTeamView.as_view(), name="leave"),
    path("<slug:team_slug>/settings/", views.RenameTeamView.as_view(), name="rename"),
    path("<slug:team_slug>/delete/", views.DeleteTeamView.as_view(), name="delete"),
]
