from django.urls import path

from apps.hotline.api import views as v

_ACTIONS = {
    "dispatch": v.TicketDispatchApi,
    "redispatch": v.TicketRedispatchApi,
    "answer": v.TicketAnswerApi,
    "transfer": v.TicketTransferApi,
    "merge": v.TicketMergeApi,
    "sign": v.TicketSignApi,
    "return": v.TicketReturnApi,
    "reject-return": v.TicketRejectReturnApi,
    "reply": v.TicketReplyApi,
    "co-reply": v.TicketCoReplyApi,
    "close": v.TicketCloseApi,
    "send-back": v.TicketSendBackApi,
    "callback": v.TicketCallbackApi,
    "request-extension": v.TicketRequestExtensionApi,
}

urlpatterns = [
    path("tickets/", v.TicketListCreateApi.as_view(), name="api-hotline-tickets"),
    path("tickets/batch/", v.TicketBatchCreateApi.as_view(), name="api-hotline-ticket-batch"),
    path("tickets/<int:pk>/", v.TicketDetailApi.as_view(), name="api-hotline-ticket"),
    path(
        "extensions/<int:pk>/decide",
        v.ExtensionDecideApi.as_view(),
        name="api-hotline-extension-decide",
    ),
    path("caller-history", v.CallerHistoryApi.as_view(), name="api-hotline-caller-history"),
    path("kb/search", v.KnowledgeSearchApi.as_view(), name="api-hotline-kb-search"),
    path("analysis/monthly", v.MonthlyAnalysisApi.as_view(), name="api-hotline-analysis"),
    path("supervision", v.SupervisionOverviewApi.as_view(), name="api-hotline-supervision"),
    *(
        path(f"tickets/<int:pk>/{action}", view.as_view(), name=f"api-hotline-ticket-{action}")
        for action, view in _ACTIONS.items()
    ),
]
