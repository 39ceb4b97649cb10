from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.catalogue import views as catalogue_views
from apps.common import views as common_views
from apps.dashboard import views as dashboard_views

handler400 = "apps.common.error_views.bad_request"
handler403 = "apps.common.error_views.permission_denied"
handler404 = "apps.common.error_views.page_not_found"
handler500 = "apps.common.error_views.server_error"

admin.site.site_header = _("政务服务管理后台")
admin.site.site_title = _("政务服务管理后台")
admin.site.index_title = _("业务管理")

# Staff pages, the API and technical endpoints: one address, in Chinese (issue #17).
urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("accessibility", common_views.accessibility_toggle, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("apps.dashboard.urls")),
    # Supervisors land on their dashboard after signing in (issue #12).
    path("admin/login/", dashboard_views.staff_login, name="staff-login"),
    path("open311/v2/", include("apps.hotline.open311.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("govservice.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script as a file (?script): no inline script for the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

# The citizens' pages: Chinese unprefixed, English under /en/ (issue #17). The staff pages
# these apps also serve stay Chinese (settings.STAFF_URL_NAMES, apps.common.i18n).
urlpatterns += i18n_patterns(
    path("", catalogue_views.home, name="home"),
    path("accounts/", include("apps.accounts.urls")),
    path("inbox/", include("apps.notifications.urls")),
    path("applications/", include("apps.applications.urls")),
    path("verify/", include("apps.documents.urls")),
    path("reviews/", include("apps.reviews.urls")),
    path("tolerance/", include("apps.tolerance.urls")),
    path("policies/", include("apps.policies.urls")),
    path("halls/", include("apps.halls.urls")),
    path("pledges/", include("apps.pledges.urls")),
    path("hotline/", include("apps.hotline.urls")),
    path("ask/", include("apps.assistant.urls")),
    path("jsi18n/", common_views.javascript_catalog, name="javascript-catalog"),
    path("", include("apps.catalogue.urls")),
    prefix_default_language=False,
)
