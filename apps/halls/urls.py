"""Hall pages at /halls/ (issue #15)."""

from django.urls import path

from apps.halls.views import assistance, cases, hand_outs, opinions, public, staff

app_name = "halls"

urlpatterns = [
    path("", public.hall_list, name="list"),
    path("<int:hall_id>/", public.hall_detail, name="hall"),
    path("<int:hall_id>/book/", public.book, name="book"),
    path("<int:hall_id>/kiosk/", public.kiosk, name="kiosk"),
    path("<int:hall_id>/screen/", public.call_screen, name="screen"),
    path("<int:hall_id>/screen/feed/", public.call_feed, name="screen_feed"),
    path("appointments/", public.my_appointments, name="mine"),
    path("appointments/<str:code>/", public.appointment_detail, name="appointment"),
    path("appointments/<str:code>/cancel/", public.appointment_cancel, name="cancel"),
    path("tickets/<str:token>/", public.ticket_detail, name="ticket"),
    path("windows/<int:window_id>/", public.window_page, name="window"),
    path("windows/<int:window_id>/card/", public.desk_card, name="desk_card"),
    path("desk/", staff.my_windows, name="my_windows"),
    path("desk/<int:window_id>/", staff.desk, name="desk"),
    path("desk/<int:window_id>/<slug:action>/", staff.desk_action, name="desk_action"),
    path("hard-cases/", cases.case_list, name="hard_cases"),
    path("hard-cases/new/", cases.case_new, name="hard_case_new"),
    path("hard-cases/<int:case_id>/", cases.case_detail, name="hard_case"),
    path(
        "assistance/<int:application_id>/",
        assistance.assistance_record,
        name="assistance_record",
    ),
    path(
        "assistance/<int:application_id>/authorisation/",
        assistance.authorisation_download,
        name="assistance_authorisation",
    ),
    path("hand-outs/", hand_outs.hand_out_list, name="hand_outs"),
    path("hand-outs/<int:hand_out_id>/", hand_outs.hand_out, name="hand_out"),
    path("opinions/", opinions.opinion_list, name="opinions"),
    path("opinions/<int:opinion_id>/", opinions.opinion_detail, name="opinion"),
]
