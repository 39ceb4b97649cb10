"""The demo's policies (data only): a dozen real-world-style policies across classes, issued
by the city's departments, with their criteria (``docs/policy-criteria.md``)."""

from __future__ import annotations

import datetime
from typing import Any

PROCEDURE = "共享数据比对 → 部门认定 → 公示 → 兑付（申请兑现类：一键申请 → 受理 → 审核 → 兑付）。"


def _c(attribute: str, operator: str, value: Any) -> dict:
    return {"attribute": attribute, "operator": operator, "value": value}


# Validity: "current" (this year to the end of next), "soon" (ends in ten days, so the
# expiry reminder has something to say) or "next_year" (published, not yet in force).
POLICIES: list[dict[str, Any]] = [
    {
        "dept": "SWJ",
        "title": "小型微利企业“六税两费”减半征收",
        "title_en": "Half-rate “six taxes and two fees” for small low-profit enterprises",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "财政部 税务总局公告2023年第12号",
        "benefit": (
            "资源税、城市维护建设税、房产税、城镇土地使用税、印花税（不含证券交易印花税）、"
            "耕地占用税和教育费附加、地方教育附加减半征收。"
        ),
        "conditions_text": "小型微利企业和个体工商户。",
        "time_limit_text": "申报纳税时自动享受",
        "legal_basis": (
            "《财政部 税务总局关于进一步支持小微企业和个体工商户发展有关税费政策的公告》"
            "（2023年第12号）"
        ),
        "criteria": [_c("scale", "in", ["micro", "small"])],
    },
    {
        "dept": "KJJ",
        "title": "高新技术企业认定奖励",
        "title_en": "Award for recognised high-tech enterprises",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "榕科〔2026〕12号",
        "amount": "200000",
        "benefit": "对在本市注册、经认定的高新技术企业给予一次性奖励20万元。",
        "conditions_text": "在本市注册，当年通过高新技术企业认定。",
        "time_limit_text": "认定名单公示结束后30日内拨付",
        "legal_basis": "《市高新技术企业培育和奖励办法》第七条",
        "criteria": [
            _c("high_tech", "eq", True),
            _c("district", "in", ["350102", "350103", "350104", "350105", "350111", "350112"]),
        ],
    },
    {
        "dept": "KJJ",
        "title": "科技型中小企业研发费用补助",
        "title_en": "R&D subsidy for technology-based SMEs",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "榕科〔2026〕5号",
        "amount": "50000",
        "benefit": "按上年度研发费用的10%给予补助，单家企业最高50万元。",
        "conditions_text": (
            "信息技术、软件、科学研究和技术服务及电子制造领域的中小企业，纳税信用A级或B级。"
        ),
        "time_limit_text": "系统比对后20个工作日内拨付",
        "legal_basis": "《市科技型中小企业研发费用补助实施细则》第五条",
        "criteria": [
            _c("industry", "prefix", ["I64", "I65", "M73", "C39"]),
            _c("scale", "in", ["micro", "small", "medium"]),
            _c("tax_credit_grade", "in", ["A", "B"]),
        ],
    },
    {
        "dept": "RSJ",
        "title": "失业保险稳岗返还",
        "title_en": "Unemployment insurance refund for keeping jobs",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "fulfilment": "application",
        "item": "350100-RSJ-GF-0008",
        "document_number": "人社部发〔2024〕11号",
        "benefit": "中小微企业按上年度实际缴纳失业保险费的60%返还，大型企业按30%返还。",
        "conditions_text": "依法参加失业保险并足额缴费，上年度未裁员或裁员率不高于规定标准。",
        "time_limit_text": "受理后10个工作日内审核，审核通过后5个工作日内拨付",
        "legal_basis": "《关于继续实施失业保险稳岗返还政策的通知》",
        "criteria": [_c("employees", "gte", 1), _c("tax_credit_grade", "not_in", ["C", "D"])],
    },
    {
        "dept": "SWUJ",
        "title": "新落户企业开办补助",
        "title_en": "Start-up grant for newly settled enterprises",
        "policy_class": "investment",
        "subject_kind": "company",
        "document_number": "榕商〔2026〕3号",
        "amount": "30000",
        "benefit": "新落户马尾区、长乐区的企业给予开办补助3万元。",
        "conditions_text": "成立不满1年，注册地在马尾区或长乐区。",
        "time_limit_text": "每季度集中拨付",
        "legal_basis": "《市招商引资优惠政策》第四条",
        "criteria": [_c("company_age", "lte", 0), _c("district", "in", ["350105", "350112"])],
    },
    {
        "dept": "JRJ",
        "title": "小微企业首贷贴息",
        "title_en": "Interest subsidy on a small business's first loan",
        "policy_class": "finance",
        "subject_kind": "company",
        "document_number": "榕金〔2026〕2号",
        "amount": "10000",
        "benefit": "首次获得银行贷款的小微企业按贷款利息的50%给予贴息，最高1万元。",
        "conditions_text": "成立5年以内的小型、微型企业，纳税信用M级以上。",
        "time_limit_text": "按季度贴息",
        "legal_basis": "《市普惠金融发展专项资金管理办法》第九条",
        "criteria": [
            _c("scale", "in", ["micro", "small"]),
            _c("company_age", "lte", 5),
            _c("tax_credit_grade", "in", ["A", "B", "M"]),
        ],
    },
    {
        "dept": "GXJ",
        "title": "专精特新中小企业奖励",
        "title_en": "Award for specialised and innovative SMEs",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "榕工信〔2026〕9号",
        "amount": "300000",
        "benefit": "对制造业专精特新中小企业给予一次性奖励30万元。",
        "conditions_text": "制造业企业，从业人数20至1000人，为高新技术企业。",
        "time_limit_text": "公示后30日内拨付",
        "legal_basis": "《市促进专精特新中小企业高质量发展若干措施》第二条",
        "criteria": [
            _c("industry", "prefix", ["C"]),
            _c("employees", "between", [20, 1000]),
            _c("high_tech", "eq", True),
        ],
    },
    {
        "dept": "MZJ",
        "title": "80周岁以上老年人高龄津贴",
        "title_en": "Old-age allowance for residents aged 80 and over",
        "policy_class": "livelihood",
        "subject_kind": "person",
        "document_number": "榕民〔2025〕21号",
        "amount": "1200",
        "benefit": "80至89周岁每人每月100元，90周岁以上每人每月200元，按月发放。",
        "conditions_text": "具有本市户籍、年满80周岁的老年人。",
        "time_limit_text": "次月起按月发放",
        "legal_basis": "《市高龄津贴发放管理办法》第三条",
        "criteria": [_c("age", "gte", 80)],
    },
    {
        "dept": "MZJ",
        "title": "困难残疾人生活补贴",
        "title_en": "Living allowance for disabled people in financial difficulty",
        "policy_class": "livelihood",
        "subject_kind": "person",
        "document_number": "闽民福〔2024〕8号",
        "amount": "1440",
        "benefit": "每人每月120元，按月发放。",
        "conditions_text": "持有残疾人证的低保、特困或低收入家庭成员。",
        "time_limit_text": "次月起按月发放",
        "legal_basis": "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
        "criteria": [
            _c("disability", "eq", True),
            _c("household", "in", ["low_income", "subsistence", "extreme_poverty"]),
        ],
    },
    {
        "dept": "YBJ",
        "title": "困难群众基本医疗保险参保资助",
        "title_en": "Basic medical insurance premium aid for people in hardship",
        "policy_class": "livelihood",
        "subject_kind": "person",
        "document_number": "榕医保〔2026〕1号",
        "amount": "380",
        "benefit": "对特困人员全额资助、低保对象定额资助城乡居民医保个人缴费。",
        "conditions_text": "特困供养人员、最低生活保障家庭成员。",
        "time_limit_text": "参保缴费时直接减免",
        "legal_basis": "《市医疗救助办法》第八条",
        "criteria": [_c("household", "in", ["subsistence", "extreme_poverty"])],
    },
    {
        "dept": "ZJJ",
        "title": "青年人才租房补贴",
        "title_en": "Rent subsidy for young talent",
        "policy_class": "talent",
        "subject_kind": "person",
        "document_number": "榕建〔2026〕6号",
        "amount": "6000",
        "benefit": "每人每年6000元，最长3年。",
        "conditions_text": "18至40周岁、在本市就业的青年人才。",
        "time_limit_text": "认定后每年一次性发放",
        "legal_basis": "《市青年人才住房保障实施办法》第五条",
        "criteria": [
            _c("age", "between", [18, 40]),
            _c("employment_status", "in", ["employed"]),
        ],
    },
    {
        "dept": "RSJ",
        "title": "职业技能提升补贴",
        "title_en": "Vocational skills upgrading subsidy",
        "policy_class": "employment",
        "subject_kind": "person",
        "fulfilment": "application",
        "item": "350100-RSJ-GF-0006",
        "validity": "soon",
        "document_number": "人社部发〔2025〕4号",
        "benefit": (
            "取得职业资格证书或职业技能等级证书的，按初级1000元、中级1500元、高级2000元给予补贴。"
        ),
        "conditions_text": "依法参加失业保险的在职职工或灵活就业人员，16至60周岁。",
        "time_limit_text": "受理后20个工作日内发放",
        "legal_basis": "《关于实施职业技能提升行动“互联网＋职业技能培训计划”的通知》",
        "criteria": [
            _c("employment_status", "in", ["employed", "flexible"]),
            _c("age", "between", [16, 60]),
        ],
    },
    {
        "dept": "RSJ",
        "title": "一次性创业补贴",
        "title_en": "One-off business start-up subsidy",
        "policy_class": "employment",
        "subject_kind": "person",
        "fulfilment": "application",
        "item": "350100-RSJ-GF-0005",
        "document_number": "榕人社〔2026〕15号",
        "benefit": (
            "首次创办小微企业或从事个体经营并正常经营6个月以上的，给予一次性创业补贴1万元。"
        ),
        "conditions_text": "登记失业人员、灵活就业人员，18至60周岁。",
        "time_limit_text": "受理后20个工作日内发放",
        "legal_basis": "《市创业补贴资金管理办法》第六条",
        "criteria": [
            _c("employment_status", "in", ["unemployed", "flexible"]),
            _c("age", "between", [18, 60]),
        ],
    },
    {
        "dept": "GXJ",
        "title": "数字经济示范企业奖励（明年起施行）",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "validity": "next_year",
        "document_number": "榕工信〔2026〕20号",
        "amount": "500000",
        "benefit": "对认定的数字经济示范企业给予一次性奖励50万元。",
        "conditions_text": "信息传输、软件和信息技术服务业企业，从业人数100人以上。",
        "time_limit_text": "认定后30日内拨付",
        "legal_basis": "《市数字经济高质量发展三年行动方案》",
        "criteria": [_c("industry", "prefix", ["I"]), _c("employees", "gte", 100)],
    },
    {
        "dept": "SCJGJ",
        "title": "食品小作坊提升改造补助",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "榕市监〔2026〕7号",
        "amount": "20000",
        "benefit": "对完成提升改造的食品小作坊给予2万元补助。",
        "conditions_text": "食品制造业微型企业。",
        "time_limit_text": "验收后20个工作日内拨付",
        "legal_basis": "《市食品小作坊提升改造专项资金管理办法》第六条",
        "criteria": [_c("industry", "prefix", ["C13", "C14"]), _c("scale", "in", ["micro"])],
        "halt": True,
    },
    {
        "dept": "SCJGJ",
        "title": "个体工商户转型升级为企业奖励",
        "policy_class": "enterprise",
        "subject_kind": "company",
        "document_number": "（待印发）",
        "amount": "5000",
        "benefit": "个体工商户转型升级为企业的，给予一次性奖励5000元。",
        "conditions_text": "成立1年以内的微型企业。",
        "time_limit_text": "登记后30日内拨付",
        "legal_basis": "《促进个体工商户发展条例》第十二条",
        "criteria": [_c("company_age", "lte", 1), _c("scale", "in", ["micro"])],
        "draft": True,
    },
]


def validity(spec: dict[str, Any], today: datetime.date) -> tuple[datetime.date, datetime.date]:
    this_year, next_year = datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1)
    end = datetime.date(today.year + 1, 12, 31)
    kind = spec.get("validity", "current")
    if kind == "soon":
        return this_year, today + datetime.timedelta(days=10)
    if kind == "next_year":
        return next_year, end
    return this_year, end
