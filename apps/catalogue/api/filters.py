"""Query filters of the public item list (codes, not ids: they are stable across exports)."""

from __future__ import annotations

import django_filters

from apps.catalogue.models import ItemType, ServiceItem, ServiceTarget
from apps.catalogue.search import search_items
from apps.catalogue.selectors import item_list


class ItemFilter(django_filters.FilterSet):
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices, method="noop")
    target = django_filters.ChoiceFilter(choices=ServiceTarget.choices, method="noop")
    department = django_filters.CharFilter(
        method="noop", help_text="部门编码（实施主体或主管部门）"
    )
    topic = django_filters.CharFilter(method="noop", help_text="办事分类编码")
    online_available = django_filters.BooleanFilter(method="noop", help_text="可网上办理")
    q = django_filters.CharFilter(method="noop", help_text="关键词：名称、俗称或拼音首字母")

    class Meta:
        model = ServiceItem
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        qs = item_list(
            item_type=data.get("item_type") or None,
            target=data.get("target") or None,
            department=data.get("department") or None,
            topic=data.get("topic") or None,
            online_available=data.get("online_available"),
            queryset=queryset,
        )
        query = (data.get("q") or "").strip()
        if query:
            qs = search_items(query, queryset=qs)
        return qs
