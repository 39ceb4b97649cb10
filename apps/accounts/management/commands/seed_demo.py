"""``manage.py seed_demo``: load every app's demo data, in order, as often as you like.

Each entry of :data:`DEMO_SEEDERS` is a module with ``seed_demo(*, stdout=None)``; a module
that does not exist yet (or whose app is not installed) is skipped. Seeders may also offer
``demo_logins()`` so ``--print-logins`` can list the demo accounts without writing anything.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_SEEDERS = [
    "apps.accounts.demo",
    "apps.workdays.demo",
    "apps.notifications.demo",
    "apps.catalogue.demo",
    "apps.applications.demo",
    "apps.reviews.demo",
    "apps.tolerance.demo",
    "apps.policies.demo",
    "apps.pledges.demo",
    "apps.hotline.demo",
    "apps.assistant.demo",
    "apps.halls.demo",
]


def load_seeder(name: str) -> ModuleType | None:
    """The seeder module, or ``None`` if it (or its app) is not there yet."""
    app_module = name.rsplit(".", 1)[0]
    if not apps.is_installed(app_module):
        return None
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only "this module does not exist" is skipped; a broken import inside it is a bug.
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise
    return module if callable(getattr(module, "seed_demo", None)) else None


def format_logins(rows: list[tuple[str, str, str]]) -> str:
    if not rows:
        return ""
    lines = ["  演示账户（角色 / 登录名 / 密码）："]
    lines += [f"    {role}：{login} / {password}" for role, login, password in rows]
    lines.append("  个人和法人用户在首页“登录”处用手机号登录；工作人员在 /admin/ 登录。")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会产生重复数据）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="只显示演示账户表，不写入数据。",
        )

    def handle(self, *args, print_logins: bool = False, **options) -> None:
        seeders = [m for m in (load_seeder(name) for name in DEMO_SEEDERS) if m is not None]
        rows: list[tuple[str, str, str]] = []
        if print_logins:
            for module in seeders:
                if callable(getattr(module, "demo_logins", None)):
                    rows.extend(module.demo_logins())
            self.stdout.write(format_logins(rows))
            return
        for module in seeders:
            with transaction.atomic():
                result = module.seed_demo(stdout=self.stdout)
            if isinstance(result, list):
                rows.extend(r for r in result if isinstance(r, tuple) and len(r) == 3)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.stdout.write(format_logins(rows))
