"""Organisation admins create and revoke their organisation's API keys; others get 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access.roles import is_organisation_admin
from accounts.decorators import verified_login_required
from organisations.selectors import administered_organisations

from . import selectors, services
from .forms import ApiKeyForm


def _organisations_or_404(user):
    if not is_organisation_admin(user):
        raise Http404
    return administered_organisations(user)


def _list_page(request, organisations, form=None, status=200):
    context = {
        "keys": selectors.keys_administered_by(request.user),
        "form": form or ApiKeyForm(organisations=organisations),
    }
    return render(request, "api/keys.html", context, status=status)


@verified_login_required
def key_list(request):
    return _list_page(request, _organisations_or_404(request.user))


# The new key is in this answer only: it must not stay in a cache.
@never_cache
@verified_login_required
@require_POST
def key_create(request):
    organisations = _organisations_or_404(request.user)
    form = ApiKeyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _list_page(request, organisations, form, status=400)
    api_key, raw_key = services.create_api_key(
        form.cleaned_data["organisation"],
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        roles=form.cleaned_data["roles"],
        by=request.user,
    )
    return render(request, "api/key_created.html", {"api_key": api_key, "raw_key": raw_key})


@verified_login_required
@require_POST
def key_revoke(request, public_id):
    api_key = selectors.administered_key_or_404(request.user, public_id)
    services.revoke_api_key(api_key)
    messages.success(request, _("The API key was revoked. It no longer works."))
    return redirect("api_keys:list")
