from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisation/", views.organisation_list, name="list"),
    path("organisation/<uuid:organisation_id>/", views.members, name="members"),
    path("organisation/<uuid:organisation_id>/invite/", views.invite, name="invite"),
    path(
        "organisation/<uuid:organisation_id>/members/<uuid:member_id>/roles/",
        views.roles,
        name="roles",
    ),
    path(
        "organisation/<uuid:organisation_id>/members/<uuid:member_id>/remove/",
        views.remove,
        name="remove",
    ),
    path(
        "organisation/<uuid:organisation_id>/requests/<uuid:request_id>/approve/",
        views.decide_role_request,
        {"approve": True},
        name="approve_role",
    ),
    path(
        "organisation/<uuid:organisation_id>/requests/<uuid:request_id>/decline/",
        views.decide_role_request,
        {"approve": False},
        name="decline_role",
    ),
    # The link in invitation mails already sent: it must keep working.
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
