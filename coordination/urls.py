from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("connections/", views.connection_graph, name="connections"),
    path("flood/", views.flood, name="flood"),
    path("<uuid:public_id>/", views.case, name="case"),
    path("<uuid:public_id>/status/", views.move, name="move"),
    path("<uuid:public_id>/assign/", views.assign, name="assign"),
    path("<uuid:public_id>/notes/", views.note, name="note"),
    path("<uuid:public_id>/messages/", views.message, name="message"),
    path("<uuid:public_id>/questions/", views.question, name="question"),
    path(
        "<uuid:public_id>/interpreters/<uuid:request_id>/arranged/",
        views.interpreter_arranged,
        name="interpreter_arranged",
    ),
    path("<uuid:public_id>/transfer/", views.transfer, name="transfer"),
    path("<uuid:public_id>/share/", views.share, name="share"),
    path(
        "<uuid:public_id>/shares/<uuid:share_id>/revoke/",
        views.revoke_share,
        name="revoke_share",
    ),
    path(
        "<uuid:public_id>/possible-connections/<uuid:review_id>/",
        views.possible_connection,
        name="possible_connection",
    ),
    path("<uuid:public_id>/retention-hold/", views.hold, name="hold"),
    path("<uuid:public_id>/retention-hold/<uuid:hold_id>/lift/", views.lift_hold, name="lift_hold"),
    path("<uuid:public_id>/reflection-period/", views.reflection, name="reflection"),
    path(
        "<uuid:public_id>/residence-application/",
        views.residence_application,
        name="residence_application",
    ),
    path(
        "<uuid:public_id>/reporting-decision/",
        views.reporting_decision,
        name="reporting_decision",
    ),
    path("<uuid:public_id>/police-handover/", views.police_handover, name="police_handover"),
    path("<uuid:public_id>/merge/", views.merge, name="merge"),
    path("<uuid:public_id>/comensha/", views.register, name="register"),
    path("<uuid:public_id>/split/", views.split, name="split"),
]
