from __future__ import annotations

app_name = "tolerance"
urlpatterns: list = []
