from django.urls import path

from apps.pledges.api import views as v

urlpatterns = [
    path("route", v.RouteApi.as_view(), name="api-pledge-route"),
    path("sign", v.SignApi.as_view(), name="api-pledge-sign"),
    path("applications/<int:pk>/approve", v.PledgeApproveApi.as_view(), name="api-pledge-approve"),
    path(
        "applications/<int:pk>/terminate",
        v.PledgeTerminateApi.as_view(),
        name="api-pledge-terminate",
    ),
    path("verifications", v.VerificationListApi.as_view(), name="api-pledge-verifications"),
    path(
        "verifications/<int:pk>/check",
        v.VerificationCheckApi.as_view(),
        name="api-pledge-check",
    ),
    path(
        "verifications/<int:pk>/assign",
        v.VerificationAssignApi.as_view(),
        name="api-pledge-assign",
    ),
    path(
        "verifications/<int:pk>/revoke",
        v.VerificationRevokeApi.as_view(),
        name="api-pledge-revoke",
    ),
    path("credit-records", v.CreditRecordCreateApi.as_view(), name="api-pledge-credit-create"),
    path("credit-records/mine", v.MyCreditRecordsApi.as_view(), name="api-pledge-credit-mine"),
    path("credit-records/<int:pk>/repair", v.CreditRepairApi.as_view(), name="api-pledge-repair"),
    path("repairs/<int:pk>/decide", v.RepairDecideApi.as_view(), name="api-pledge-repair-decide"),
    path("figures", v.FiguresApi.as_view(), name="api-pledge-figures"),
]
