from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("<slug:slug>/", views.network_home, name="home"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/invitation/accept/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/invitation/decline/", views.decline_invitation, name="decline_invitation"),
    path("<slug:slug>/settings/", views.network_settings, name="settings"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/<int:membership_id>/approve/", views.approve, name="approve"),
    path("<slug:slug>/members/<int:membership_id>/decline/", views.decline, name="decline"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.change_role, name="change_role"),
    path(
        "<slug:slug>/members/<int:membership_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
]
