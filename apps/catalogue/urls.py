from django.urls import path

from apps.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("services/<str:audience>/", views.audience_list, name="audience"),
    path("types/<str:item_type>/", views.item_type_list, name="item_type"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("topics/<slug:code>/", views.topic_detail, name="topic"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("items/<str:code>/result-sample/", views.result_sample_download, name="result_sample"),
    path(
        "materials/<int:material_id>/<str:kind>/",
        views.material_download,
        name="material_file",
    ),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<str:code>/", views.bundle_detail, name="bundle"),
]
