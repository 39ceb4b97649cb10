from django.urls import path

from apps.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListApi.as_view(), name="api-notification-list"),
    path(
        "notifications/read-all",
        views.NotificationMarkAllReadApi.as_view(),
        name="api-notification-read-all",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotificationDetailApi.as_view(),
        name="api-notification-detail",
    ),
    path(
        "notifications/<int:pk>/read",
        views.NotificationMarkReadApi.as_view(),
        name="api-notification-read",
    ),
]
