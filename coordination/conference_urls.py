from django.urls import path

from . import conference_views

app_name = "conferences"

urlpatterns = [
    path("", conference_views.conference_list, name="list"),
    path("new/<uuid:signal_id>/", conference_views.conference_new, name="new"),
    path("<uuid:public_id>/", conference_views.conference_detail, name="detail"),
    path(
        "<uuid:public_id>/actions/<uuid:action_id>/done/",
        conference_views.action_done,
        name="action_done",
    ),
]
