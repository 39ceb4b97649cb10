"""The citizens' hotline pages at /hotline/ (issue #13)."""

from django.urls import path

from apps.hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
]
