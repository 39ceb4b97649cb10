from django.urls import path

from apps.catalogue import form_views, views

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
    path("items/<str:code>/form/<str:kind>.pdf", form_views.form_printable, name="form_printable"),
    path("regions/", form_views.region_children, name="regions"),
    path("regions/<str:code>/", form_views.region_children, name="region_children"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<str:code>/", views.bundle_detail, name="bundle"),
]
