"""Demo reviews for ``manage.py seed_demo``: six months of ratings across every department,
window and channel, and bad reviews in every state (waiting for the call-back, late,
rectifying, rectified, explained, re-visited, appealed, appeal upheld, appeal refused), so
the supervisors' dashboard shows real shapes on ``make run``.

Everything goes through the real services, backdated with their ``at`` argument (as a
terminal's late upload would be). The demo's extra window staff and reviewers are plain
account rows without a password (there is no sign-up service for staff); they only give
the figures names.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.models import Department, ServiceWindow, User
from apps.accounts.roles import Role, group_name
from apps.catalogue.models import ServiceItem
from apps.reviews import services
from apps.reviews.models import Review, ServiceEvent
from apps.reviews.workflow import LEVEL_ORDER, Channel, EventKind, Outcome

PREFIX = "demo-"
DAYS = 182
SEED = 20260101
REVIEWERS = 60
# Level weights, best first: most departments, the one that struggles, and the anomaly of
# the last seven days (the dashboard's warning).
NORMAL = [70, 18, 6, 4, 2]
WEAK = [48, 24, 12, 10, 6]
SPIKE = [30, 20, 10, 25, 15]
CHANNELS = [
    (Channel.WINDOW, 45),
    (Channel.WEB, 30),
    (Channel.MOBILE, 15),
    (Channel.SELF_SERVICE, 5),
    (Channel.HOTLINE, 5),
]
TEXTS = {
    "attitude": "窗口人员态度生硬，问了两遍才回答。",
    "slow": "承诺时限内没有办完，也没有人主动说明。",
    "long_wait": "取号后等了一个多小时才轮到。",
    "extra_materials": "让我补交指南上没有列出的证明。",
    "system_problem": "网上提交时页面一直报错，只好跑现场。",
}
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
STAFF_NAMES = [
    f"{s}{g}"
    for s, g in zip(
        "林陈黄张刘杨何郭罗梁宋谢唐许邓冯曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟",
        [
            "晓燕",
            "志强",
            "丽娟",
            "建华",
            "海涛",
            "秀英",
            "俊杰",
            "雪梅",
            "文斌",
            "春兰",
            "国庆",
            "玉珍",
            "伟东",
            "慧敏",
            "振宇",
            "桂芳",
            "子豪",
            "思琪",
            "宏伟",
            "淑华",
            "明辉",
            "佳怡",
            "立新",
            "美玲",
            "永康",
            "红梅",
            "德胜",
            "晓东",
            "婷婷",
            "建军",
            "凤英",
            "浩然",
            "瑞雪",
            "光明",
            "静怡",
            "家豪",
            "碧霞",
            "少华",
            "巧玲",
            "国栋",
            "艳红",
            "泽宇",
        ],
        strict=False,
    )
]
GIVEN = "明华丽军芳伟静磊洋勇艳杰娟涛"


def _account(username: str, full_name: str, role: Role, department=None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "kind": User.Kind.CITIZEN if role == Role.CITIZEN else User.Kind.STAFF,
            "is_staff": role != Role.CITIZEN,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name(role)))
        if department is not None:
            user.departments.add(department)
    return user


class _Seeder:
    def __init__(self, today: date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.departments = list(Department.objects.filter(is_active=True).order_by("code"))
        self.items: dict[int, list[ServiceItem]] = {}
        for item in ServiceItem.objects.filter(is_active=True).order_by("code"):
            self.items.setdefault(item.implementing_department_id, []).append(item)
        comprehensive = ServiceWindow.objects.filter(is_comprehensive=True).order_by("pk").first()
        self.windows = {
            d.pk: ServiceWindow.objects.filter(departments=d, is_comprehensive=False)
            .order_by("pk")
            .first()
            or comprehensive
            for d in self.departments
        }
        self.staff = {d.pk: self._staff(d) for d in self.departments}
        self.reviewers = [
            _account(
                f"demo_reviewer_{n}",
                SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + GIVEN[(n * 7) % len(GIVEN)],
                Role.CITIZEN,
            )
            for n in range(1, REVIEWERS + 1)
        ]
        self.weak = self.departments[5].pk
        self.spike = self.departments[3].pk
        self.count = 0

    def _staff(self, department: Department) -> list[User]:
        index = self.departments.index(department) * 3
        return [
            _account(
                f"demo_staff_{department.code.lower()}_{n}",
                STAFF_NAMES[(index + n) % len(STAFF_NAMES)],
                Role.WINDOW_STAFF,
                department,
            )
            for n in range(3)
        ]

    def _level(self, department: Department, day: date) -> str:
        if department.pk == self.spike and (self.today - day).days < 7:
            weights = SPIKE
        else:
            weights = WEAK if department.pk == self.weak else NORMAL
        return self.rng.choices(LEVEL_ORDER, weights)[0].value

    def review(
        self,
        department: Department,
        at: datetime,
        *,
        level: str | None = None,
        named: bool | None = None,
        channel: str | None = None,
    ) -> Review:
        rng = self.rng
        level = level or self._level(department, at.date())
        channel = channel or rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
        bad = level in ("dissatisfied", "very_dissatisfied")
        tag = rng.choice(list(TEXTS))
        reason = {"tags": [tag] if bad else [], "text": TEXTS[tag] if bad else ""}
        anonymous = (rng.random() < 0.3) if named is None else not named
        item = rng.choice(self.items.get(department.pk) or [None])
        staff = rng.choice(self.staff[department.pk])
        self.count += 1
        if channel == Channel.WINDOW and not named:
            event = services.window_event_open(
                actor=staff,
                window=self.windows[department.pk],
                department=department,
                item=item,
                at=at,
            )
            return services.review_submit_with_token(
                token=services.event_token(event), level=level, at=at, **reason
            )
        reviewer = rng.choice(self.reviewers)
        event = services.review_event_open(
            kind=EventKind.OTHER if channel == Channel.HOTLINE else EventKind.APPLICATION,
            reference=f"{PREFIX}{self.count}",
            department=department,
            item=item,
            window=self.windows[department.pk] if channel == Channel.WINDOW else None,
            staff=staff if rng.random() < 0.6 else None,
            subject=reviewer,
            at=at,
        )
        return services.review_submit(
            event_id=event.pk,
            channel=Channel.MOBILE if channel == Channel.WINDOW else channel,
            level=level,
            reviewer=reviewer,
            anonymous=anonymous,
            at=at,
            **reason,
        )

    def moment(self, day: date) -> datetime:
        clock = time(self.rng.randint(9, 17), self.rng.randint(0, 59))
        return timezone.make_aware(datetime.combine(day, clock))


def _handle_history(seeder: _Seeder, supervisor: User | None) -> None:
    """Bad reviews older than two weeks: handled, mostly on time, through the services."""
    rng = seeder.rng
    horizon = seeder.today - timedelta(days=3)
    for review in Review.objects.filter(case__state="callback_due", day__lt=horizon).select_related(
        "case"
    ):
        case = review.case
        handler = seeder.staff[review.department_id][0]
        late = rng.random() < 0.12
        callback_at = timezone.make_aware(
            datetime.combine(case.callback_due_on + timedelta(days=2 if late else 0), time(10, 30))
        )
        outcome = rng.choices(
            [Outcome.FIXED_NOW, Outcome.FIX_BY_DEADLINE, Outcome.NOT_REASONABLE], [5, 3, 2]
        )[0]
        services.case_record_callback(
            case_id=case.pk,
            actor=handler,
            outcome=outcome,
            note="已电话回访评价人，核实情况属实。"
            if outcome != Outcome.NOT_REASONABLE
            else "已向评价人解释政策规定。",
            at=callback_at,
        )
        if outcome == Outcome.FIX_BY_DEADLINE:
            case.refresh_from_db()
            done = case.rectify_due_on + timedelta(days=3 if rng.random() < 0.15 else -1)
            services.case_rectify(
                case_id=case.pk,
                actor=handler,
                note="已完成整改并建立长效机制。",
                at=timezone.make_aware(datetime.combine(done, time(15, 0))),
            )
        if rng.random() < 0.6:
            services.case_revisit(
                case_id=case.pk,
                actor=handler,
                level=rng.choice(["very_satisfied", "satisfied", "basically_satisfied"]),
                note="评价人对处理结果表示认可。",
                at=callback_at + timedelta(days=7),
            )


def _every_state(seeder: _Seeder, approver: User | None, supervisor: User | None) -> None:
    """Fresh real-name bad reviews of the market regulator (the demo approver's department),
    each left in one state, so every demo login has a case to act on."""
    department = Department.objects.filter(code="SCJGJ").first() or seeder.departments[0]
    handler = seeder.staff[department.pk][0]

    def bad(days_ago: int, hours: int = 1) -> Review:
        at = timezone.now() - timedelta(days=days_ago, hours=hours)
        return seeder.review(
            department, at, level="very_dissatisfied", named=True, channel=Channel.WEB
        )

    bad(0)  # 待回访核实
    bad(6)  # late: the supervision sweep escalates it
    rectifying = bad(2).case
    services.case_record_callback(
        case_id=rectifying.pk,
        actor=handler,
        outcome=Outcome.FIX_BY_DEADLINE,
        note="需协调系统厂商修复。",
    )
    rectified = bad(3).case
    services.case_record_callback(
        case_id=rectified.pk,
        actor=handler,
        outcome=Outcome.FIXED_NOW,
        note="当场为评价人补办并致歉。",
    )
    explained = bad(4).case
    services.case_record_callback(
        case_id=explained.pk,
        actor=handler,
        outcome=Outcome.NOT_REASONABLE,
        note="已解释法定办理时限。",
    )
    revisited = bad(5).case
    services.case_record_callback(
        case_id=revisited.pk, actor=handler, outcome=Outcome.FIXED_NOW, note="已整改。"
    )
    services.case_revisit(
        case_id=revisited.pk, actor=handler, level="satisfied", note="评价人表示满意。"
    )
    if approver is None or supervisor is None:
        return
    for days_ago, decision in ((3, None), (4, True), (5, False)):
        case = bad(days_ago, 2).case
        services.case_record_callback(
            case_id=case.pk,
            actor=approver,
            outcome=Outcome.MALICIOUS,
            note="评价人当日未到窗口办事，评价内容与本部门业务无关。",
        )
        if decision is not None:
            appeal = case.review.appeal
            services.appeal_decide(
                appeal_id=appeal.pk,
                actor=supervisor,
                upheld=decision,
                note="经调取窗口录像核实，申诉属实。"
                if decision
                else "申诉理由不充分，请按期整改。",
            )


def seed_demo(*, stdout=None) -> None:
    if (
        ServiceEvent.objects.filter(reference__startswith=PREFIX).exists()
        or not ServiceItem.objects.exists()
    ):
        return
    today = timezone.localdate()
    seeder = _Seeder(today)
    per_day, owed = settings.REVIEWS_DEMO_REVIEWS / DAYS, 0.0
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        # A little more each month, so the trend has a shape.
        owed += per_day * (0.6 + 0.8 * (DAYS - offset) / DAYS)
        for _n in range(int(owed)):
            seeder.review(seeder.rng.choice(seeder.departments), seeder.moment(day))
        owed -= int(owed)
    spike = next(d for d in seeder.departments if d.pk == seeder.spike)
    for offset in range(6, -1, -1):  # enough reviews for the anomaly rule to judge
        day = today - timedelta(days=offset)
        for _n in range(5):
            seeder.review(
                spike, seeder.moment(day) if offset else timezone.now() - timedelta(hours=1)
            )
    users = {
        u.username: u for u in User.objects.filter(username__in=["approver_scjg", "supervisor"])
    }
    _handle_history(seeder, users.get("supervisor"))
    _every_state(seeder, users.get("approver_scjg"), users.get("supervisor"))
    services.supervise_review_cases(today=today)
    if stdout is not None:
        stdout.write(
            f"好差评：{Review.objects.count()}条评价（近{DAYS}天），各状态差评整改与申诉。\n"
        )
