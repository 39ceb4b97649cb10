from django.urls import path

from apps.halls.api import views as v

_WINDOW_ACTIONS = {
    "call": v.WindowCallApi,
    "recall": v.WindowRecallApi,
    "start": v.WindowStartApi,
    "skip": v.WindowSkipApi,
    "finish": v.WindowFinishApi,
    "transfer": v.WindowTransferApi,
}
_CASE_ACTIONS = {
    "assign": v.HardCaseAssignApi,
    "conclude": v.HardCaseConcludeApi,
    "feedback": v.HardCaseFeedbackApi,
}

urlpatterns = [
    path("", v.HallListApi.as_view(), name="api-hall-list"),
    path("<int:pk>/slots", v.SlotListApi.as_view(), name="api-hall-slots"),
    path("<int:pk>/tickets", v.TicketTakeApi.as_view(), name="api-hall-take"),
    path("appointments", v.AppointmentListApi.as_view(), name="api-hall-appointments"),
    path(
        "appointments/<str:code>/cancel",
        v.AppointmentCancelApi.as_view(),
        name="api-hall-appointment-cancel",
    ),
    *(
        path(f"windows/<int:pk>/{name}", view.as_view(), name=f"api-hall-window-{name}")
        for name, view in _WINDOW_ACTIONS.items()
    ),
    path("hard-cases", v.HardCaseCreateApi.as_view(), name="api-hall-hard-cases"),
    path("opinions", v.OpinionListApi.as_view(), name="api-hall-opinions"),
    path(
        "opinions/<int:pk>/confirm", v.OpinionConfirmApi.as_view(), name="api-hall-opinion-confirm"
    ),
    *(
        path(f"hard-cases/<int:pk>/{name}", view.as_view(), name=f"api-hall-hard-case-{name}")
        for name, view in _CASE_ACTIONS.items()
    ),
]
