"""Organisation admins manage their own organisation's members (any other organisation answers
404); an invited person accepts the invitation."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import (
    is_fully_signed_in,
    sign_out_if_session_ended,
    verified_login_required,
)
from accounts.models import User
from accounts.selectors import active_user_with_email

from . import selectors, services
from .forms import InviteForm, NewPasswordForm, RolesForm

# The latest changes to members shown on the members page (all are in the Django admin).
CHANGES_SHOWN = 20
# An invited person has just chosen their password: sign them in through the ordinary backend.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@verified_login_required
def organisation_list(request):
    organisations = list(selectors.administered_organisations(request.user))
    if not organisations:
        # Not an admin: the page does not exist for them, as every page they may not open.
        raise Http404
    if len(organisations) == 1:
        return redirect("organisations:members", organisations[0].public_id)
    return render(request, "organisations/list.html", {"organisations": organisations})


def _members_page(request, organisation, invite_form=None, status=200):
    context = {
        "organisation": organisation,
        "members": [
            (
                membership,
                RolesForm(
                    initial={"roles": membership.roles},
                    prefix=str(membership.public_id),
                    organisation=organisation,
                ),
            )
            for membership in selectors.members_of(organisation)
        ],
        "invitations": selectors.open_invitations(organisation),
        "invite_form": invite_form or InviteForm(organisation=organisation),
        "role_requests": selectors.open_role_requests(organisation),
        "changes": selectors.membership_changes(organisation)[:CHANGES_SHOWN],
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
    form = InviteForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _members_page(request, organisation, invite_form=form, status=400)
    try:
        services.invite_member(
            organisation,
            email=form.cleaned_data["email"],
            roles=form.cleaned_data["roles"],
            by=request.user,
        )
    except services.SelfInvitationError:
        form.add_error("email", _("You cannot invite yourself. Change your own roles above."))
        return _members_page(request, organisation, invite_form=form, status=400)
    messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
    return redirect("organisations:members", organisation.public_id)


@verified_login_required
@require_POST
def roles(request, organisation_id, member_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    membership = selectors.member_or_404(organisation, member_id)
    form = RolesForm(request.POST, prefix=str(membership.public_id), organisation=organisation)
    if not form.is_valid():
        messages.error(
            request, _("Choose at least one role, among those your organisation's kind has.")
        )
    else:
        try:
            roles = form.cleaned_data["roles"]
            saved = services.set_roles(membership, roles=roles, by=request.user)
            if set(roles) - set(saved.roles):
                messages.warning(request, services.ASKED_FOR_APPROVAL)
            else:
                messages.success(request, _("Roles of %s saved.") % membership.user)
        except services.LastAdminError:
            messages.error(request, _("The organisation needs at least one organisation admin."))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
    if sign_out_if_session_ended(request):
        # A role of their own taken away ended every session of theirs, this one too.
        return redirect("accounts:login")
    return redirect("organisations:members", organisation.public_id)


@verified_login_required
@require_POST
def remove(request, organisation_id, member_id):
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    membership = selectors.member_or_404(organisation, member_id)
    try:
        services.remove_member(membership, by=request.user)
        messages.success(request, _("%s was removed and signed out.") % membership.user)
    except services.LastAdminError:
        messages.error(request, _("The organisation needs at least one organisation admin."))
    if sign_out_if_session_ended(request):
        return redirect("accounts:login")
    return redirect("organisations:members", organisation.public_id)


@verified_login_required
@require_POST
def decide_role_request(request, organisation_id, request_id, approve: bool):
    """Another admin grants or declines a role an admin asked for themself."""
    organisation = selectors.administered_organisation_or_404(request.user, organisation_id)
    role_request = selectors.open_role_request_or_404(organisation, request_id)
    try:
        services.decide_role_request(role_request, by=request.user, approve=approve)
    except services.SameAdminError:
        messages.error(request, _("Another organisation admin must decide on your own request."))
    except services.LastAdminError:
        messages.error(request, _("The organisation needs at least one organisation admin."))
    except ValidationError as refused:
        # A role the member holds no longer fits the organisation's kind: changed first.
        messages.error(request, " ".join(refused.messages))
    return redirect("organisations:members", organisation.public_id)


def invitation(request, token: str):
    """An invited person chooses a password (new account) or, if known, accepts while signed in."""
    invitation = selectors.usable_invitation(token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    existing = active_user_with_email(invitation.email)
    if existing is not None:
        if not (is_fully_signed_in(request.user) and request.user == existing):
            return render(
                request, "organisations/invitation_sign_in.html", {"invitation": invitation}
            )
        if request.method == "POST":
            services.accept_invitation(invitation, user=existing)
            messages.success(request, _("You are now a member of %s.") % invitation.organisation)
            return redirect("accounts:dashboard")
        return render(request, "organisations/invitation_accept.html", {"invitation": invitation})
    form = NewPasswordForm(request.POST or None, user=User(email=invitation.email))
    if request.method == "POST" and form.is_valid():
        user = services.create_invited_user(invitation, password=form.cleaned_data["password2"])
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend=MODEL_BACKEND)
        return redirect("accounts:setup")
    return render(
        request, "organisations/invitation_password.html", {"form": form, "invitation": invitation}
    )
