from django.urls import path

from . import subject_views

app_name = "subject_requests"

urlpatterns = [
    path("", subject_views.search, name="search"),
    path("<uuid:search_id>/", subject_views.results, name="results"),
    path(
        "<uuid:search_id>/export.json",
        subject_views.export,
        {"file_format": "json"},
        name="export_json",
    ),
    path(
        "<uuid:search_id>/export.html",
        subject_views.export,
        {"file_format": "html"},
        name="export_html",
    ),
    path(
        "<uuid:search_id>/export.zip",
        subject_views.export,
        {"file_format": "zip"},
        name="export_zip",
    ),
    path("<uuid:search_id>/<uuid:signal_id>/erase/", subject_views.erase, name="erase"),
]
