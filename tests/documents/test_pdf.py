"""The PDF itself: embedded Chinese font, extractable text, remedies, verification URL."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from apps.documents.content import chinese_date
from apps.documents.models import DocumentKind

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "pdf"

SAMPLE_BODIES = {
    DocumentKind.ACCEPTANCE_NOTICE: (
        "你（单位）于二〇二六年十一月二十日提交的食品经营许可申请，申请材料齐全、符合法定形式，"
        "根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。\n"
        "本局将在受理之日起二十个工作日内作出行政许可决定。"
    ),
    DocumentKind.REJECTION_NOTICE: (
        "经审查，你（单位）申请的事项不属于本机关职权范围，决定不予受理。"
    ),
    DocumentKind.CORRECTION_NOTICE: (
        "你（单位）提交的申请材料不齐全，请于五个工作日内一次性补正下列材料："
    ),
    DocumentKind.REVOCATION_NOTICE: "你（单位）未在承诺期限内补齐容缺材料，决定撤销受理。",
    DocumentKind.APPROVAL_DECISION: (
        "经审查，你（单位）的申请符合法定条件、标准，决定准予行政许可。"
    ),
    DocumentKind.DENIAL_DECISION: (
        "经审查，你（单位）的经营场所与有毒、有害场所的距离不符合《食品经营许可和备案管理办法》"
        "第十二条规定的条件，根据《中华人民共和国行政许可法》第三十八条第二款的规定，"
        "决定不予行政许可。"
    ),
    DocumentKind.LICENCE: "经审查，准予核发食品经营许可证。证照信息如下：",
    DocumentKind.TOLERANCE_NOTICE: (
        "你（单位）的申请主要材料齐全，决定容缺受理，请于十个工作日内补齐："
    ),
    DocumentKind.PLEDGE_NOTICE: (
        "本事项实行告知承诺制。申请人承诺符合下列条件，如有虚假承诺将依法承担相应责任。"
    ),
    DocumentKind.BUNDLE_RESULT: (
        "你（单位）提交的“我要开餐馆”一件事申请所含2个事项均已办结，办结结果：部分准予。\n"
        "1. 食品经营许可：准予许可；结果文书：榕市监许字〔2026〕第000001号\n"
        "2. 公众聚集场所投入使用前消防安全检查：不予许可；结果文书：榕消不许字〔2026〕第000001号"
    ),
    DocumentKind.APPLICATION_FORM: (
        "本申请人承诺所填报的内容及提交的材料真实、合法、有效，如有虚假，愿意承担相应法律责任。"
    ),
    DocumentKind.RECTIFICATION_ORDER: (
        "经核查，你（单位）作出的告知承诺与实际情况不符，现责令于二〇二六年十二月十八日前完成"
        "下列整改，并接受再次核查："
    ),
    DocumentKind.DECISION_REVOCATION: (
        "你（单位）申请食品经营许可时作出告知承诺，经核查承诺不实，整改期满仍不符合许可条件，"
        "决定撤销该许可决定。"
    ),
    DocumentKind.TERMINATION_NOTICE: (
        "你（单位）申请食品经营许可时作出的告知承诺经核查与实际情况不符，决定终止办理。"
    ),
}
SAMPLE_EXTRA = {
    DocumentKind.APPLICATION_FORM: {
        "fields": [
            ["经营者名称", "榕城示范餐饮有限公司"],
            ["经营场所", "福建省福州市鼓楼区五四路100号"],
            ["经营项目", "热食类食品制售、冷食类食品制售"],
        ],
        "signed_by": "榕城示范餐饮有限公司",
        "signed_at": "2026-11-20 10:15",
    },
    DocumentKind.CORRECTION_NOTICE: {
        "items": ["营业执照复印件（加盖公章）", "食品安全管理制度文本"]
    },
    DocumentKind.TOLERANCE_NOTICE: {"items": ["法定代表人身份证明复印件"]},
    DocumentKind.RECTIFICATION_ORDER: {"items": ["配置与经营规模相适应的冷藏设施"]},
    DocumentKind.LICENCE: {
        "fields": [
            ["证照名称", "食品经营许可证"],
            ["许可证编号", "JY13501020012345"],
            ["经营者名称", "榕城示范餐饮有限公司"],
            ["有效期至", "二〇三一年十一月二十一日"],
        ]
    },
}


def _text(pdf_path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf_path, "-"], capture_output=True, text=True, check=True
    ).stdout


def _compact(text: str) -> str:
    return "".join(text.split())


def test_pdf_embeds_the_chinese_font(issue):
    document = issue()
    output = subprocess.run(
        ["pdffonts", document.pdf.path], capture_output=True, text=True, check=True
    ).stdout
    rows = output.splitlines()[2:]
    assert rows and all("NotoSansSC" in row for row in rows), output
    for row in rows:
        # columns: name type encoding emb sub uni object ID
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row


def test_pdf_text_has_department_title_number_date_and_verification_url(issue):
    document = issue()
    text = _compact(_text(document.pdf.path))
    assert "榕城市市场监督管理局" in text
    assert "受理通知书" in text
    assert _compact(document.number) in text
    assert "王小明：" in text
    assert "决定予以受理" in text
    assert "SQ20261122000123" in text
    assert document.issued_at and "年" in text
    # No QR decoder is installed: the URL the QR encodes is printed under it.
    assert document.verification_url in text
    assert document.verification_url.startswith("https://zwfw.example.gov.cn/verify/")


@pytest.mark.parametrize(
    "kind",
    [
        DocumentKind.REJECTION_NOTICE,
        DocumentKind.DENIAL_DECISION,
        DocumentKind.DECISION_REVOCATION,
        DocumentKind.TERMINATION_NOTICE,
    ],
)
def test_refusal_pdfs_print_the_remedies(issue, kind):
    """DOMAIN A9."""
    document = issue(kind=kind, title=kind.label, body=SAMPLE_BODIES[kind])
    text = _compact(_text(document.pdf.path))
    assert "申请人如不服本决定，可以自收到本决定之日起六十日内向市人民政府申请行政复议" in text
    assert "或者在六个月内依法向人民法院提起行政诉讼" in text


def test_items_and_fields_from_extra_are_printed(issue):
    document = issue(
        kind=DocumentKind.LICENCE,
        title="食品经营许可证",
        body=SAMPLE_BODIES[DocumentKind.LICENCE],
        extra=SAMPLE_EXTRA[DocumentKind.LICENCE],
    )
    text = _compact(_text(document.pdf.path))
    assert "JY13501020012345" in text and "二〇三一年十一月二十一日" in text


def test_long_body_flows_onto_more_pages(issue):
    document = issue(body="\n".join([SAMPLE_BODIES[DocumentKind.DENIAL_DECISION]] * 25))
    info = subprocess.run(
        ["pdfinfo", document.pdf.path], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 2
    assert document.verification_url in _compact(_text(document.pdf.path))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 22), "二〇二六年十一月二十二日"),
        (datetime.date(2027, 1, 1), "二〇二七年一月一日"),
        (datetime.date(2030, 10, 10), "二〇三〇年十月十日"),
        (datetime.date(2026, 12, 31), "二〇二六年十二月三十一日"),
        (datetime.date(2026, 2, 20), "二〇二六年二月二十日"),
    ],
)
def test_chinese_date(value, expected):
    assert chinese_date(value) == expected


def test_render_every_kind_to_png_for_review(issue):
    """Writes test-artifacts/pdf/<kind>.pdf and -1.png so a person can look at the layout."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind in DocumentKind:
        document = issue(
            kind=kind,
            title=kind.label.split("/")[0],
            body=SAMPLE_BODIES[kind],
            extra=SAMPLE_EXTRA.get(kind),
        )
        pdf_path = ARTIFACTS / f"{kind.value}.pdf"
        pdf_path.write_bytes(Path(document.pdf.path).read_bytes())
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf_path),
                str(ARTIFACTS / kind.value),
            ],
            check=True,
        )
        png = ARTIFACTS / f"{kind.value}-1.png"
        assert png.stat().st_size > 10_000, kind


def test_application_form_is_unsealed_and_addressed_to_the_department(issue):
    """The applicant's 申请书: no seal, addressed to the department, declared by the applicant
    at the stated time, and verifiable like every document."""
    document = issue(
        kind=DocumentKind.APPLICATION_FORM,
        title="食品经营许可申请书",
        body=SAMPLE_BODIES[DocumentKind.APPLICATION_FORM],
        extra=SAMPLE_EXTRA[DocumentKind.APPLICATION_FORM],
    )
    assert not document.is_sealed
    text = _compact(_text(document.pdf.path))
    assert f"{document.department.name}：" in text
    assert "申请人：榕城示范餐饮有限公司" in text and "声明时间：2026-11-2010:15" in text
    assert "不加盖印章" in text and "加盖电子印章" not in text
    assert "申" in document.number
