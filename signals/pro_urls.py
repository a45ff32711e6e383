from django.urls import path

from . import pro_views

app_name = "pro_signals"

urlpatterns = [
    path("", pro_views.signal_list, name="list"),
    path("new/", pro_views.signal_new, name="new"),
    path("<uuid:public_id>/", pro_views.signal_detail, name="detail"),
    path("<uuid:public_id>/edit/", pro_views.draft_edit, name="edit"),
    path("<uuid:public_id>/add/", pro_views.add_information, name="add_information"),
    path(
        "<uuid:public_id>/questions/<uuid:question_id>/answer/",
        pro_views.answer_question,
        name="answer",
    ),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        pro_views.attachment_download,
        name="attachment",
    ),
]
