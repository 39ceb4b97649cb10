"""The dashboard keeps no data of its own: it reads every app's selectors.

``Dashboard`` has no table (``managed = False``); it exists so the dashboard's permissions
belong to this app and roles can be granted them by a data migration.
"""

from __future__ import annotations

from django.db import models


class Dashboard(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = "监督管理驾驶舱"
        permissions = [
            ("view_dashboard", "查看监督管理驾驶舱"),
            ("export_dashboard", "导出驾驶舱数据与月报"),
        ]

    def __str__(self) -> str:
        return "监督管理驾驶舱"
