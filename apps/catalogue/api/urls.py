from django.urls import path

from apps.catalogue.api import staff, views

app_name = "catalogue-api"

urlpatterns = [
    path("items/", views.ItemListApi.as_view(), name="item-list"),
    path("items/<str:code>/", views.ItemDetailApi.as_view(), name="item-detail"),
    path("bundles/", views.BundleListApi.as_view(), name="bundle-list"),
    path("bundles/<str:code>/", views.BundleDetailApi.as_view(), name="bundle-detail"),
    path("topics/", views.TopicListApi.as_view(), name="topic-list"),
    path("staff/items/", staff.StaffItemListApi.as_view(), name="staff-item-list"),
    path(
        "staff/completeness/",
        staff.CatalogueCompletenessApi.as_view(),
        name="staff-completeness",
    ),
]
