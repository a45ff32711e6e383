"""The portal's URLs plus three floors for bench/pages.py: the same middleware stack returning an
empty page, alone, with a public session read, and for a signed-in coordinator."""

from django.http import HttpResponse
from django.urls import path

from accounts.decorators import verified_login_required
from meldpunt.urls import urlpatterns as portal


def floor(request):
    return HttpResponse(b"")


def public_floor(request):
    request.session.get("public_report")
    return HttpResponse(b"")


@verified_login_required
def signed_in_floor(request):
    return HttpResponse(b"")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/public-floor/", public_floor),
    path("bench/signed-in-floor/", signed_in_floor),
    *portal,
]
