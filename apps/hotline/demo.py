"""Demo data of the hotline for ``manage.py seed_demo``: the two-level taxonomy (派单目录),
knowledge-base articles, and tickets in every state made through the real services, so
the ``hotline`` operator, the SCJGJ/GAJ window staff and the supervisor all have work.
Idempotent: the taxonomy and articles are upserted; tickets are made once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.hotline import services
from apps.hotline.defaults import seed_default_time_limits
from apps.hotline.kb_search import article_search_fields
from apps.hotline.models import Category, KnowledgeArticle, Ticket, TimeLimit
from apps.hotline.services import TicketInput

# (code, name, [(leaf code, leaf name, department code, keywords)])
TAXONOMY = [
    (
        "SC",
        "市场监管",
        [
            ("SC-SP", "食品安全", "SCJGJ", "餐馆,外卖,过期食品"),
            ("SC-XF", "消费维权", "SCJGJ", "退款,预付卡,虚假宣传"),
            ("SC-JG", "价格收费", "SCJGJ", "乱收费,明码标价"),
        ],
    ),
    (
        "GA",
        "公安户政",
        [
            ("GA-HJ", "户籍办理", "GAJ", "落户,迁移,身份证"),
            ("GA-CRJ", "出入境", "GAJ", "护照,港澳通行证"),
            ("GA-JT", "交通秩序", "GAJ", "乱停车,违停,拥堵"),
        ],
    ),
    (
        "CG",
        "城市管理",
        [
            ("CG-ZS", "噪声扰民", "STHJJ", "施工噪声,广场舞"),
            ("CG-WY", "物业管理", "ZJJ", "物业费,电梯,维修基金"),
            ("CG-WJ", "违法建设", "ZRZYJ", "违建,搭建"),
        ],
    ),
    (
        "SB",
        "社会保障",
        [
            ("SB-JF", "社保缴费", "RSJ", "社保,养老保险,灵活就业"),
            ("SB-YB", "医保报销", "YBJ", "医保,异地就医"),
            ("SB-JY", "就业创业", "RSJ", "失业登记,创业补贴"),
        ],
    ),
    (
        "JT",
        "交通出行",
        [
            ("JT-GJ", "公交线路", "JTYSJ", "公交,站点"),
            ("JT-CZ", "出租网约车", "JTYSJ", "拒载,绕路"),
        ],
    ),
    (
        "JW",
        "教育卫健",
        [
            ("JW-RX", "入学招生", "JYJ", "学区,入学"),
            ("JW-YL", "医疗服务", "WJW", "医院,挂号"),
        ],
    ),
]

# (title, department, category, keywords, body)
ARTICLES = [
    (
        "社保卡丢失如何补办",
        "RSJ",
        "SB-JF",
        "社保卡,补办,挂失",
        "先拨打12333或在“e福州”挂失，再携带身份证到任一社保卡服务网点补办，即时制卡的网点当场领取，"
        "工本费按规定收取。",
    ),
    (
        "灵活就业人员如何缴纳养老保险",
        "RSJ",
        "SB-JF",
        "灵活就业,养老保险,缴费",
        "持身份证到户籍或居住地社保经办机构登记，也可在网上办事大厅办理；按月或按年缴费，"
        "缴费基数在上下限之间自选。",
    ),
    (
        "异地就医备案办理",
        "YBJ",
        "SB-YB",
        "异地就医,备案,医保",
        "参保人可通过国家医保服务平台或当地医保经办窗口办理异地就医备案，备案后可在就医地直接结算。",
    ),
    (
        "身份证补领需要哪些材料",
        "GAJ",
        "GA-HJ",
        "身份证,补领,户籍",
        "本人携带户口簿到户籍所在地或居住地派出所办理，现场采集照片和指纹，工本费20元，"
        "可选择邮寄送达。",
    ),
    (
        "护照办理流程",
        "GAJ",
        "GA-CRJ",
        "护照,出入境,办证",
        "本人持身份证到出入境窗口办理，现场拍照、采集指纹，7个工作日内出证，可选择邮寄。",
    ),
    (
        "预付卡商家跑路如何维权",
        "SCJGJ",
        "SC-XF",
        "预付卡,退款,维权",
        "保留好充值凭证和合同，可向市场监管部门投诉举报，也可向人民法院起诉；涉嫌诈骗的向公安机关报案。",
    ),
    (
        "餐饮店卫生问题如何投诉",
        "SCJGJ",
        "SC-SP",
        "餐馆,卫生,食品安全",
        "可拨打12345反映，说明店名、地址、问题和时间，市场监管部门将依法核查处理并答复。",
    ),
    (
        "夜间施工噪声如何处理",
        "STHJJ",
        "CG-ZS",
        "夜间施工,噪声",
        "夜间（22时至次日6时）施工须取得许可；未经许可施工的，可反映至12345，由生态环境部门依法查处。",
    ),
]

CITIZEN_PHONE = "13800000001"


def _seed_taxonomy() -> dict[str, Category]:
    departments = {d.code: d for d in Department.objects.all()}
    leaves: dict[str, Category] = {}
    for order, (code, name, children) in enumerate(TAXONOMY):
        parent, _ = Category.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "parent": None}
        )
        for child_order, (leaf_code, leaf_name, dept, keywords) in enumerate(children):
            leaves[leaf_code], _ = Category.objects.update_or_create(
                code=leaf_code,
                defaults={
                    "name": leaf_name,
                    "parent": parent,
                    "department": departments.get(dept),
                    "keywords": keywords,
                    "order": child_order,
                    "description": f"{name}：{leaf_name}（{keywords.replace(',', '、')}）",
                },
            )
    return leaves


def _seed_articles(leaves: dict[str, Category]) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    now = timezone.now()
    for title, dept, category, keywords, body in ARTICLES:
        search_text, initials = article_search_fields(title=title, keywords=keywords, body=body)
        KnowledgeArticle.objects.update_or_create(
            title=title,
            defaults={
                "department": departments[dept],
                "category": leaves[category],
                "keywords": keywords,
                "body": body,
                "status": KnowledgeArticle.Status.PUBLISHED,
                "published_at": now,
                "search_text": search_text,
                "pinyin_initials": initials,
            },
        )


def _input(leaf: Category, content: str, phone: str, **extra) -> TicketInput:
    return TicketInput(
        ticket_type=extra.pop("ticket_type", "complaint"),
        category_id=leaf.pk,
        content=content,
        caller_phone=phone,
        caller_name=extra.pop("caller_name", "张先生"),
        district=extra.pop("district", "鼓楼区"),
        address=extra.pop("address", "五四路88号"),
        **extra,
    )


def _tickets(leaves: dict[str, Category], users: dict[str, User]) -> int:
    op, scjg, gaj = users["hotline"], users["window_scjg"], users["window_gaj"]
    take = services.ticket_take_call
    made = 0

    def new(leaf, content, phone, **extra) -> Ticket:
        nonlocal made
        made += 1
        return take(actor=op, data=_input(leaves[leaf], content, phone, **extra))

    # 待派单 (and a likely duplicate of it), an enquiry to answer from the knowledge base.
    new("SC-SP", "东街口某快餐店后厨卫生差，有老鼠出没。", "13900000101", address="东街口12号")
    new("SC-SP", "东街口那家快餐店还是很脏，上周反映过。", "13900000101", address="东街口12号")
    new("SB-JF", "社保卡丢了怎么补办？", "13900000102", ticket_type="enquiry", address="")
    # 当场解答办结 from the knowledge base (H5).
    enquiry = new("GA-HJ", "身份证丢了，补领要带什么？", "13900000103", ticket_type="enquiry")
    article = KnowledgeArticle.objects.get(title="身份证补领需要哪些材料")
    services.ticket_answer_on_spot(ticket_id=enquiry.pk, actor=op, article_id=article.pk)
    # 一键转接 (H3).
    fire = new("CG-WJ", "小区楼道堆放杂物起火冒烟。", "13900000104", urgency="urgent")
    services.ticket_transfer(ticket_id=fire.pk, actor=op, target="119")
    # 并单 (H9).
    dup = new("SC-XF", "健身房关门跑路，预付卡无法退款。", "13900000105", address="万达广场3楼")
    main = new(
        "SC-XF", "万达广场健身房跑路，会员卡退不了钱。", "13900000106", address="万达广场3楼"
    )
    services.ticket_merge(ticket_id=dup.pk, main_id=main.pk, actor=op)
    services.ticket_dispatch(ticket_id=main.pk, actor=op)  # 待签收 at SCJGJ
    # 待签收 at GAJ, anonymous caller (保密).
    parking = new(
        "GA-JT", "学校门口每天早上违停堵路。", "13900000107", is_anonymous=True, address="鼓屏路"
    )
    services.ticket_dispatch(ticket_id=parking.pk, actor=op)
    # 办理中 with a pending extension (for the supervisor).
    price = new("SC-JG", "停车场收费不明码标价。", "13900000108", address="三坊七巷停车场")
    services.ticket_dispatch(ticket_id=price.pk, actor=op)
    services.ticket_sign(ticket_id=price.pk, actor=scjg)
    services.ticket_request_extension(
        ticket_id=price.pk, actor=scjg, reason="需调取三个月收费记录核查。", working_days=5
    )
    # 退单待审核.
    wrong = new("SC-SP", "小区电梯经常停运。", "13900000109", address="福新路小区")
    services.ticket_dispatch(ticket_id=wrong.pk, actor=op)
    services.ticket_return(
        ticket_id=wrong.pk, actor=scjg, reason="电梯运行属物业管理，请改派住建部门。"
    )
    # 已答复待审核.
    replied = new("GA-HJ", "新生儿落户网上办理一直审核不通过。", "13900000110")
    services.ticket_dispatch(ticket_id=replied.pk, actor=op)
    services.ticket_sign(ticket_id=replied.pk, actor=gaj)
    services.ticket_reply(
        ticket_id=replied.pk, actor=gaj, text="经核查系出生医学证明照片不清晰，已电话指导重新上传。"
    )
    # 已办结待回访, and one called back satisfied.
    for phone, satisfied in (("13900000111", False), (CITIZEN_PHONE, True)):
        done = new("SC-XF", "网购商品质量问题商家拒绝退货。", phone, address="")
        services.ticket_dispatch(ticket_id=done.pk, actor=op)
        services.ticket_sign(ticket_id=done.pk, actor=scjg)
        services.ticket_reply(
            ticket_id=done.pk, actor=scjg, text="已约谈商家，同意七日内退货退款。"
        )
        services.ticket_close(ticket_id=done.pk, actor=op)
        if satisfied:
            services.ticket_callback(ticket_id=done.pk, actor=op, satisfaction="satisfied")
    # 督办: an old ticket the department never answered (deadlines set in the past, then a
    # real supervision pass escalates it).
    old = new("GA-CRJ", "护照办理超过承诺时限仍未出证。", "13900000112")
    services.ticket_dispatch(ticket_id=old.pk, actor=op)
    past = timezone.now() - datetime.timedelta(days=10)
    Ticket.objects.filter(pk=old.pk).update(
        sign_due_at=past, reply_due_at=past, reply_remind_at=past - datetime.timedelta(days=1)
    )
    services.supervise_tickets()
    return made


def seed_demo(*, stdout=None) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["hotline", "window_scjg", "window_gaj", "supervisor"], is_active=True
        )
    }
    if len(users) < 4 or not Department.objects.filter(code="SCJGJ").exists():
        return  # the accounts demo did not run
    with transaction.atomic():
        seed_default_time_limits(TimeLimit)
        leaves = _seed_taxonomy()
        _seed_articles(leaves)
        if Ticket.objects.exists():
            if stdout:
                stdout.write("12345热线：分类与知识库已更新，演示工单已存在。")
            return
        made = _tickets(leaves, users)
    if stdout:
        stdout.write(f"12345热线：{len(leaves)}个分类、{len(ARTICLES)}篇知识、{made}张演示工单。")
