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
    # The link in invitation mails already sent: it must keep working.
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
