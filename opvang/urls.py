from django.urls import path

from . import views

app_name = "opvang"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("national/", views.national, name="national"),
    path("offers/", views.provider_offers, name="provider_offers"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<uuid:public_id>/", views.offer_detail, name="offer_detail"),
    path("offers/<uuid:public_id>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<uuid:public_id>/places/", views.offer_places, name="offer_places"),
    path("requests/", views.provider_requests, name="provider_requests"),
    path("requests/<uuid:public_id>/accept/", views.request_accept, name="request_accept"),
    path("requests/<uuid:public_id>/decline/", views.request_decline, name="request_decline"),
    path("placements/", views.coordinator_requests, name="coordinator_requests"),
    path("find/<uuid:signal_public_id>/", views.find_place, name="find_place"),
    path("find/<uuid:signal_public_id>/request/", views.request_place, name="request_place"),
]
