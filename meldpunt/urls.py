from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from intake.public.views import quick_exit

from .core.health import healthz, live

# A database outage answers "please try again" (503), not a server error.
handler400 = "meldpunt.core.errors.bad_request"
handler403 = "meldpunt.core.errors.permission_denied"
handler404 = "meldpunt.core.errors.page_not_found"
handler500 = "meldpunt.core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="healthz-live"),
    # The public pages' quick exit: one address for every language, with or without JavaScript.
    path("exit/", quick_exit, name="quick_exit"),
    # Language switch for pages without a language prefix (professional pages).
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    # Professional pages are not language-prefixed.
    # Members and invitations: /pro/organisation/... and the invitation link /pro/invite/<token>/.
    path("pro/", include("organisations.urls")),
    path("pro/opvang/", include("opvang.urls")),
    path("pro/queue/", include("coordination.urls")),
    path("pro/comensha/", include("coordination.registration_urls")),
    path("pro/case-conferences/", include("coordination.conference_urls")),
    path("pro/inbox/", include("inbox.urls")),
    path("pro/access-log/", include("access.urls")),
    path("pro/privacy/subject-requests/", include("privacy.subject_urls")),
    path("pro/privacy/", include("privacy.urls")),
    path("pro/monitor/", include("monitor.urls")),
    path("pro/signals/", include("intake.professional.urls")),
    path("pro/api-keys/", include("api.key_urls")),
    path("pro/alerts/", include("triage.urls")),
    path("api/v1/", include("api.urls")),
    path("pro/", include("accounts.urls")),
]

urlpatterns += i18n_patterns(
    path("report/", include("intake.public.urls")),
    path("", include("content.urls")),
)
