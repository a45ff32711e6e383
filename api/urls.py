from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .exceptions import not_found

app_name = "api"

signal = "signals/<uuid:public_id>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("signals/public/", views.PublicReportView.as_view(), name="public_report"),
    path("signals/", views.SignalList.as_view(), name="signals"),
    path(signal, views.SignalDetail.as_view(), name="signal"),
    path(f"{signal}additions/", views.AdditionCreate.as_view(), name="signal_additions"),
    path(f"{signal}status/", views.MoveSignal.as_view(), name="signal_status"),
    path(f"{signal}assign/", views.AssignSignal.as_view(), name="signal_assign"),
    path(f"{signal}notes/", views.AddNote.as_view(), name="signal_notes"),
    path(f"{signal}questions/", views.AskSubmitter.as_view(), name="signal_questions"),
    path(
        f"{signal}questions/<uuid:question_id>/answer/",
        views.AnswerQuestion.as_view(),
        name="signal_answer",
    ),
    path(f"{signal}transfer/", views.TransferSignal.as_view(), name="signal_transfer"),
    path(f"{signal}share/", views.ShareSignal.as_view(), name="signal_share"),
    path(
        f"{signal}shares/<uuid:share_id>/revoke/",
        views.RevokeShare.as_view(),
        name="signal_share_revoke",
    ),
    path(f"{signal}merge/", views.MergeSignal.as_view(), name="signal_merge"),
    path(f"{signal}split/", views.SplitSignal.as_view(), name="signal_split"),
    path("regions/", views.RegionList.as_view(), name="regions"),
    path("municipalities/", views.MunicipalityList.as_view(), name="municipalities"),
    path("places/", views.PlaceLookup.as_view(), name="places"),
    path("exploitation-forms/", views.ExploitationFormList.as_view(), name="exploitation_forms"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("offers/", views.OfferList.as_view(), name="offers"),
    path(
        "offers/<uuid:public_id>/free-places/",
        views.OfferFreePlaces.as_view(),
        name="offer_free_places",
    ),
    path("placement-requests/", views.PlacementRequestList.as_view(), name="placement_requests"),
    path("comensha/registrations/", views.RegistrationList.as_view(), name="registrations"),
    # Anything else under /api/v1/ answers 404 in the API's own error shape.
    re_path(r"^[\s\S]*$", not_found),
]
