from django.urls import path

from . import views

app_name = "pro_signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("new/", views.signal_new, name="new"),
    path("<uuid:public_id>/", views.signal_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.draft_edit, name="edit"),
    path("<uuid:public_id>/add/", views.add_information, name="add_information"),
    path("<uuid:public_id>/meldcode/", views.reporting_code, name="reporting_code"),
    path(
        "<uuid:public_id>/questions/<uuid:question_id>/answer/",
        views.answer_question,
        name="answer",
    ),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
