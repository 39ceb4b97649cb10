from django.urls import path

from apps.applications.api import form_views
from apps.applications.api import views as v

_ACTIONS = {
    # applicant
    "submit": v.ApplicationSubmitApi,
    "resubmit": v.ApplicationResubmitApi,
    "withdraw": v.ApplicationWithdrawApi,
    # staff: intake (A4, A5, A6)
    "accept": v.ApplicationAcceptApi,
    "transfer": v.ApplicationTransferApi,
    "correct-and-accept": v.ApplicationCorrectAndAcceptApi,
    "accept-tolerant": v.ApplicationAcceptTolerantApi,
    "reject": v.ApplicationRejectApi,
    "request-correction": v.ApplicationRequestCorrectionApi,
    "decide-immediately": v.ApplicationDecideImmediatelyApi,
    # staff: review and decision (A7–A9, A12)
    "start-review": v.ApplicationStartReviewApi,
    "suspend": v.ApplicationSuspendApi,
    "resume": v.ApplicationResumeApi,
    "request-extension": v.ApplicationRequestExtensionApi,
    "approve": v.ApplicationApproveApi,
    "deny": v.ApplicationDenyApi,
    "revoke": v.ApplicationRevokeApi,
    "archive": v.ApplicationArchiveApi,
}

urlpatterns = [
    path("applications/", v.ApplicationListCreateApi.as_view(), name="api-application-list"),
    path(
        "applications/window",
        v.ApplicationWindowCreateApi.as_view(),
        name="api-application-window-create",
    ),
    path("applications/queue", v.ApplicationQueueApi.as_view(), name="api-application-queue"),
    path(
        "applications/supervision",
        v.SupervisionOverviewApi.as_view(),
        name="api-application-supervision",
    ),
    path(
        "applications/<int:pk>/",
        v.ApplicationDetailApi.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<int:pk>/form",
        form_views.ApplicationFormApi.as_view(),
        name="api-application-form",
    ),
    path(
        "applications/<int:pk>/materials",
        v.ApplicationMaterialUploadApi.as_view(),
        name="api-application-material-upload",
    ),
    path(
        "applications/<int:pk>/materials/reuse",
        v.ApplicationMaterialReuseApi.as_view(),
        name="api-application-material-reuse",
    ),
    path(
        "applications/extensions/<int:pk>/decide",
        v.ExtensionDecideApi.as_view(),
        name="api-application-extension-decide",
    ),
    *(
        path(f"applications/<int:pk>/{action}", view.as_view(), name=f"api-application-{action}")
        for action, view in _ACTIONS.items()
    ),
]
