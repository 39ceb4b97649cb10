from __future__ import annotations

import pytest

from apps.accounts.demo import seed_demo as accounts_seed_demo
from apps.catalogue.demo import seed_demo as catalogue_seed_demo


@pytest.fixture
def demo_catalogue(db):
    """The demo catalogue imported through the real importer: every published guide and
    bundle reaches the passage index through the catalogue's publication hook."""
    accounts_seed_demo()
    catalogue_seed_demo()


BACKGROUND_ITEMS = [
    ("居民身份证换领", "换身份证"),
    ("普通护照签发", "办护照"),
    ("结婚登记", "领结婚证"),
    ("失业保险金申领", "失业金"),
    ("机动车注册登记", "上牌,新车上牌"),
    ("公共租赁住房保障资格审核", "公租房"),
    ("教师资格认定", "教资"),
    ("个体工商户设立登记", "个体户,开店"),
    ("医疗费用手工报销", "医保报销"),
    ("无犯罪记录证明开具", "无犯罪证明"),
    ("建筑工程施工许可证核发", "施工许可证"),
    ("异地就医备案", "外地看病"),
]


@pytest.fixture
def background_index(department):
    """A dozen published items in the index, so that BM25's word weights mean something
    (in an index of one source every word is everywhere and weighs nothing)."""
    from apps.assistant.integrations import index_publication
    from tests.catalogue.factories import PublishedGuideFactory, ServiceItemFactory

    guides = [
        PublishedGuideFactory(
            item=ServiceItemFactory(competent_department=department, name=name, keywords=kw)
        )
        for name, kw in BACKGROUND_ITEMS
    ]
    index_publication(guides, [])
    return guides


@pytest.fixture
def category(department):
    from tests.hotline.factories import leaf_category

    return leaf_category(department=department)
