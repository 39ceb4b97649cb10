from __future__ import annotations

from django.urls import path

from apps.tolerance.api import views as v

urlpatterns = [
    path("applications/<int:pk>/supplies", v.SupplyListApi.as_view(), name="tolerance-supplies"),
    path("applications/<int:pk>/pledge", v.PledgeOfferApi.as_view(), name="tolerance-pledge-offer"),
    path(
        "applications/<int:pk>/pledge/sign", v.PledgeSignApi.as_view(), name="tolerance-pledge-sign"
    ),
    path("applications/<int:pk>/accept", v.TolerantAcceptApi.as_view(), name="tolerance-accept"),
    path(
        "applications/<int:pk>/supplements",
        v.SupplementSubmitApi.as_view(),
        name="tolerance-supplement-submit",
    ),
    path(
        "supplements/<int:pk>/accept",
        v.SupplementAcceptApi.as_view(),
        name="tolerance-supplement-accept",
    ),
    path(
        "supplements/<int:pk>/reject",
        v.SupplementRejectApi.as_view(),
        name="tolerance-supplement-reject",
    ),
    path("queue", v.SupplyQueueApi.as_view(), name="tolerance-queue"),
    path("figures", v.FiguresApi.as_view(), name="tolerance-figures"),
]
