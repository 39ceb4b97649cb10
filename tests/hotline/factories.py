from __future__ import annotations

import factory
from django.utils import timezone

from apps.hotline.kb_search import article_search_fields
from apps.hotline.models import Category, KnowledgeArticle
from apps.hotline.services import TicketInput
from apps.hotline.workflow import TicketType
from tests.accounts.factories import DepartmentFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CAT{n:03d}")
    name = factory.Sequence(lambda n: f"分类{n}")


def leaf_category(*, department=None, code: str = "CS-ZS", name: str = "噪声扰民"):
    parent = CategoryFactory(code="CS", name="城市管理")
    return CategoryFactory(
        code=code, name=name, parent=parent, department=department or DepartmentFactory()
    )


def published_article(*, department=None, category=None, **overrides) -> KnowledgeArticle:
    """A current article, its search columns filled as the service fills them."""
    values = {
        "title": "社保卡补办流程",
        "body": "携带身份证到任一社保服务网点办理，当场制卡。",
        "keywords": "社保卡,补办,挂失",
        "status": KnowledgeArticle.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(overrides)
    values["search_text"], values["pinyin_initials"] = article_search_fields(
        title=values["title"], keywords=values["keywords"], body=values["body"]
    )
    return KnowledgeArticle.objects.create(
        department=department or DepartmentFactory(), category=category, **values
    )


def call(category, **overrides) -> TicketInput:
    values = {
        "ticket_type": TicketType.COMPLAINT,
        "category_id": category.pk,
        "content": "小区门口夜间施工噪声扰民，持续到凌晨两点。",
        "caller_phone": "13912345678",
        "caller_name": "李来电",
        "address": "鼓楼区五四路100号",
        "district": "鼓楼区",
    }
    values.update(overrides)
    return TicketInput(**values)
