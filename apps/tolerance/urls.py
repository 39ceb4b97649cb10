from __future__ import annotations

from django.urls import path

from apps.tolerance import views

app_name = "tolerance"
urlpatterns = [
    path("<int:application_id>/pledge/", views.pledge_sign, name="pledge_sign"),
    path("<int:application_id>/supplements/", views.supplement_upload, name="supplement_upload"),
    path("staff/<int:application_id>/accept/", views.staff_accept, name="staff_accept"),
    path(
        "staff/<int:application_id>/supplements/",
        views.staff_supplement_upload,
        name="staff_supplement_upload",
    ),
    path(
        "staff/supplements/<int:supplement_id>/accept/",
        views.supplement_accept,
        name="supplement_accept",
    ),
    path(
        "staff/supplements/<int:supplement_id>/reject/",
        views.supplement_reject,
        name="supplement_reject",
    ),
    path("staff/figures/", views.figures, name="figures"),
    path("staff/figures.json", views.figures_json, name="figures_json"),
]
