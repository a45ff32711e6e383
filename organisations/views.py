"""Organisation admins manage their own organisation's members; any other answers 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import verified_login_required

from . import selectors, services
from .forms import InviteForm, RolesForm


@verified_login_required
def organisation_list(request):
    organisations = list(selectors.administered_organisations(request.user))
    if len(organisations) == 1:
        return redirect("organisations:members", organisations[0].public_id)
    return render(request, "organisations/list.html", {"organisations": organisations})


def _members_page(request, organisation, invite_form=None, status=200):
    context = {
        "organisation": organisation,
        "members": [
            (
                membership,
                RolesForm(initial={"roles": membership.roles}, prefix=str(membership.public_id)),
            )
            for membership in selectors.members_of(organisation)
        ],
        "invitations": selectors.open_invitations(organisation),
        "invite_form": invite_form or InviteForm(),
    }
    return render(request, "organisations/members.html", context, status=status)


@verified_login_required
def members(request, organisation_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    return _members_page(request, organisation)


@verified_login_required
@require_POST
def invite(request, organisation_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, organisation, invite_form=form, status=400)
    services.invite_member(
        organisation, form.cleaned_data["email"], form.cleaned_data["roles"], request.user
    )
    messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
    return redirect("organisations:members", organisation.public_id)


@verified_login_required
@require_POST
def roles(request, organisation_id, member_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    membership = selectors.member_or_404(organisation, member_id)
    form = RolesForm(request.POST, prefix=str(membership.public_id))
    if not form.is_valid():
        messages.error(request, _("Choose at least one role."))
    else:
        try:
            services.set_roles(membership, form.cleaned_data["roles"])
            messages.success(request, _("Roles of %s saved.") % membership.user)
        except services.LastAdminError:
            messages.error(request, _("The organisation needs at least one organisation admin."))
    return redirect("organisations:members", organisation.public_id)


@verified_login_required
@require_POST
def remove(request, organisation_id, member_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    membership = selectors.member_or_404(organisation, member_id)
    try:
        services.remove_member(membership)
        messages.success(request, _("%s was removed and signed out.") % membership.user)
    except services.LastAdminError:
        messages.error(request, _("The organisation needs at least one organisation admin."))
    return redirect("organisations:members", organisation.public_id)
