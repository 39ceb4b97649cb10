from django.urls import path

from apps.policies.api import views as v

_ENTITLEMENT_ACTIONS = {
    "decline": v.EntitlementDeclineApi,
    "grant": v.EntitlementGrantApi,
    "pay": v.EntitlementPayApi,
    "payment-failed": v.EntitlementPaymentFailedApi,
    "cancel": v.EntitlementCancelApi,
}
_HALT_ACTIONS = {
    "approve": v.HaltApproveApi,
    "reject": v.HaltRejectApi,
    "withdraw": v.HaltWithdrawApi,
}

urlpatterns = [
    path("", v.PolicyListApi.as_view(), name="api-policy-list"),
    path("mine", v.MyPoliciesApi.as_view(), name="api-policy-mine"),
    path("figures", v.FiguresApi.as_view(), name="api-policy-figures"),
    path("criteria/count", v.CriteriaCountApi.as_view(), name="api-policy-criteria-count"),
    path("matches/<int:pk>/claim", v.ClaimApi.as_view(), name="api-policy-claim"),
    path("<int:pk>/publish", v.PolicyPublishApi.as_view(), name="api-policy-publish"),
    path("<int:pk>/resume", v.PolicyResumeApi.as_view(), name="api-policy-resume"),
    path(
        "<int:pk>/halt-requests", v.HaltRequestCreateApi.as_view(), name="api-policy-halt-request"
    ),
    *(
        path(f"halt-requests/<int:pk>/{name}", view.as_view(), name=f"api-policy-halt-{name}")
        for name, view in _HALT_ACTIONS.items()
    ),
    *(
        path(f"entitlements/<int:pk>/{name}", view.as_view(), name=f"api-entitlement-{name}")
        for name, view in _ENTITLEMENT_ACTIONS.items()
    ),
    path("<slug:code>/", v.PolicyDetailApi.as_view(), name="api-policy-detail"),
]
