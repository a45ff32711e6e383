"""The privacy officer's destruction list. Anyone but a privacy officer gets 404."""

from django.http import Http404
from django.shortcuts import render

from access.roles import privacy_officer_organisations
from accounts.decorators import verified_login_required

from .selectors import destruction_list as records


@verified_login_required
def destruction_list(request):
    organisations = list(privacy_officer_organisations(request.user))
    if not organisations:
        raise Http404
    return render(request, "privacy/destruction_list.html", {"records": records(organisations)})
