"""The supervisors' dashboard, at /dashboard/ (issue #12)."""

from django.urls import path

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("panels/<slug:key>/", views.panel_json, name="panel"),
    path("panels/<slug:key>/export.<str:fmt>", views.panel_export, name="export"),
    path("reviews/", views.reviews_drill, name="reviews"),
    path("report/", views.monthly_report, name="report"),
    path("report/pdf/", views.monthly_report_pdf, name="report_pdf"),
]
