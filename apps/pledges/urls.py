"""The applicant's pledge pages, at /pledges/ (issue #11)."""

from django.urls import path

from apps.pledges import views

app_name = "pledges"

urlpatterns = [
    path("new/<str:code>/", views.pledge_start, name="start"),
    path("credit/", views.credit_records, name="credit"),
]
