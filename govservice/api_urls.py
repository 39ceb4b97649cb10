"""Version 1 of the REST API: each app contributes its own ``api/urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.applications.api.urls")),
    path("", include("apps.notifications.api.urls")),
    path("catalogue/", include("apps.catalogue.api.urls")),
    path("reviews/", include("apps.reviews.api.urls")),
    path("tolerance/", include("apps.tolerance.api.urls")),
    path("policies/", include("apps.policies.api.urls")),
    path("pledges/", include("apps.pledges.api.urls")),
    path("hotline/", include("apps.hotline.api.urls")),
    path("assistant/", include("apps.assistant.api.urls")),
    path("halls/", include("apps.halls.api.urls")),
]
