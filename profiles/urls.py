from django.urls import path

from profiles import views

app_name = "profiles"

# The fixed addresses come before <username>; the handles they use are reserved (profiles.validators).
urlpatterns = [
    path("", views.people_directory, name="directory"),
    path("champions/", views.champions_directory, name="champions"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("<str:username>/", views.profile_detail, name="detail"),
]
