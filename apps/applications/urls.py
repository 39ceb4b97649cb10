"""The applicant's pages and private downloads, at /applications/ (issue #4)."""

from django.urls import path

from apps.applications.views import bundles, downloads, forms, public

app_name = "applications"

urlpatterns = [
    path("", public.application_list, name="list"),
    path("new/bundle/<str:code>/", public.bundle_new, name="bundle_new"),
    path("new/<str:code>/", public.application_new, name="new"),
    path("bundle/<int:group_id>/", bundles.bundle_edit, name="bundle"),
    path("bundle/<int:group_id>/result/", downloads.bundle_result_download, name="bundle_result"),
    path("<int:application_id>/", public.application_detail, name="detail"),
    path("<int:application_id>/edit/", public.application_edit, name="edit"),
    path("<int:application_id>/review/", forms.application_review, name="review"),
    path("bundle/<int:group_id>/review/", bundles.bundle_review, name="bundle_review"),
    path(
        "<int:application_id>/documents/<int:document_id>/",
        downloads.document_download,
        name="document",
    ),
    path(
        "<int:application_id>/materials/<int:material_id>/",
        downloads.material_download,
        name="material",
    ),
]
