from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<uuid:organisation_id>/", views.members, name="members"),
    path("<uuid:organisation_id>/invite/", views.invite, name="invite"),
    path("<uuid:organisation_id>/members/<uuid:member_id>/roles/", views.roles, name="roles"),
    path("<uuid:organisation_id>/members/<uuid:member_id>/remove/", views.remove, name="remove"),
]
