"""Version 1 of the REST API: each app contributes its own ``api/urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.notifications.api.urls")),
]
