"""The starting list of bad-review reasons (DOMAIN R1); administrators maintain it."""

from django.db import migrations

TAGS = [
    ("attitude", "服务态度差"),
    ("slow", "办理时间过长"),
    ("many_trips", "多次跑动"),
    ("extra_materials", "要求提供额外材料"),
    ("unclear_notice", "一次性告知不清"),
    ("long_wait", "排队等候时间长"),
    ("system_problem", "网上办事系统不好用"),
    ("unresolved", "诉求未解决"),
    ("fees", "不合理收费"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    ReviewTag = apps.get_model("reviews", "ReviewTag")
    for order, (code, label) in enumerate(TAGS, start=1):
        ReviewTag.objects.get_or_create(code=code, defaults={"label": label, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("reviews", "ReviewTag").objects.filter(code__in=[c for c, _ in TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_roles")]

    operations = [migrations.RunPython(seed, unseed)]
