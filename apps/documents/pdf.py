"""A4 PDF of an issued document, drawn with reportlab (DOMAIN A4, A9, A16).

The shipped Noto Sans SC (OFL) is registered as a TrueType font, so reportlab embeds a
subset of it: the PDF shows and extracts Chinese on any reader without local fonts.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.documents.content import chinese_date, ensure_remedies
from apps.documents.seal import seal_png

FONT_NAME = "NotoSansSC"
RED = colors.Color(0.84, 0.09, 0.09)
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 25 * mm
HEADER_HEIGHT = 42 * mm

# reportlab keeps module-level state (font subsets, caches) and is not documented as
# thread-safe; documents are small, so rendering one at a time costs nothing.
_render_lock = threading.Lock()


@lru_cache(maxsize=1)
def register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(settings.PDF_FONT_PATH)))
    return FONT_NAME


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=22, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=8 * mm
        ),
        "addressee": ParagraphStyle("addressee", parent=base, spaceAfter=2 * mm),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, alignment=TA_JUSTIFY),
        "item": ParagraphStyle("item", parent=base, leftIndent=24, firstLineIndent=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=16),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, alignment=TA_LEFT),
        "reference": ParagraphStyle("reference", parent=base, fontSize=10.5, textColor=colors.grey),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def qr_png(url: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


class SignatureBlock(Flowable):
    """Issuing department and date on the right, with the red seal stamped over them."""

    seal_size = 40 * mm

    def __init__(self, department_name: str, date_text: str, seal: bytes) -> None:
        super().__init__()
        self.height = 48 * mm  # Flowable.__init__ zeroes width/height: set them after it
        self.department_name = department_name
        self.date_text = date_text
        self.seal = seal

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_font()
        centre_x = self.width - 38 * mm
        seal_centre_y = 26 * mm
        # GB/T 9704 §7.3.5: the seal sits centred over the issuer and date, which fall in
        # its lower half below the star. Stamp first, then the words, so none is hidden.
        canvas.drawImage(
            ImageReader(io.BytesIO(self.seal)),
            centre_x - self.seal_size / 2,
            seal_centre_y - self.seal_size / 2,
            width=self.seal_size,
            height=self.seal_size,
            mask="auto",
        )
        canvas.setFont(font, 12)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(centre_x, seal_centre_y - 11 * mm, self.department_name)
        canvas.drawCentredString(centre_x, seal_centre_y - 19 * mm, self.date_text)


class DeclarationBlock(Flowable):
    """An unsealed document's close: who declared it and when, on the right (no seal)."""

    def __init__(self, signer: str, signed_at: str) -> None:
        super().__init__()
        self.height = 20 * mm
        self.signer = signer
        self.signed_at = signed_at

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(register_font(), 12)
        canvas.setFillColor(colors.black)
        right = self.width
        canvas.drawRightString(right, 13 * mm, f"申请人：{self.signer}")
        canvas.drawRightString(right, 5 * mm, f"声明时间：{self.signed_at}")


def _verification_box(url: str, styles: dict[str, ParagraphStyle], *, sealed: bool) -> Table:
    qr = Image(io.BytesIO(qr_png(url)), width=26 * mm, height=26 * mm)
    closing = (
        "本文书加盖电子印章，与纸质文书具有同等法律效力。"
        if sealed
        else "本申请书由申请人在线填报并确认，不加盖印章。"
    )
    text = [
        _para("扫描二维码或访问以下网址，核验本文书真伪及是否有效：", styles["small"]),
        _para(url, styles["small"]),
        _para(closing, styles["small"]),
    ]
    table = Table([[qr, text]], colWidths=[30 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return table


def _fields_table(fields: list[Any], styles: dict[str, ParagraphStyle]) -> Table:
    rows = [
        [_para(str(label), styles["cell"]), _para(str(value), styles["cell"])]
        for label, value in fields
    ]
    table = Table(rows, colWidths=[38 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.96, 0.96, 0.96)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _story(document, styles: dict[str, ParagraphStyle], seal: bytes) -> list[Flowable]:
    extra = document.extra or {}
    # A sealed document is addressed to the applicant; the applicant's own 申请书 to the
    # department it is submitted to.
    addressee = document.applicant_name if document.is_sealed else document.department.name
    story: list[Flowable] = [
        _para(document.title, styles["title"]),
        _para(f"{addressee}：", styles["addressee"]),
    ]
    body = ensure_remedies(
        kind=document.kind,
        body=document.body,
        reconsideration_organ=extra.get("reconsideration_organ"),
    )
    story += [_para(line.strip(), styles["body"]) for line in body.splitlines() if line.strip()]
    items = extra.get("items") or []
    if items:
        story.append(Spacer(1, 2 * mm))
        story += [_para(f"{i}. {item}", styles["item"]) for i, item in enumerate(items, 1)]
    fields = extra.get("fields") or []
    if fields:
        story += [Spacer(1, 4 * mm), _fields_table(fields, styles)]
    if document.reference:
        story += [Spacer(1, 3 * mm), _para(f"办件编号：{document.reference}", styles["reference"])]
    issued_on = timezone.localtime(document.issued_at).date()
    story.append(Spacer(1, 6 * mm))
    if document.is_sealed:
        close: Flowable = SignatureBlock(document.department.name, chinese_date(issued_on), seal)
    else:
        close = DeclarationBlock(
            extra.get("signed_by") or document.applicant_name,
            extra.get("signed_at")
            or timezone.localtime(document.issued_at).strftime("%Y-%m-%d %H:%M"),
        )
    story.append(
        KeepTogether(
            [
                close,
                Spacer(1, 4 * mm),
                _verification_box(document.verification_url, styles, sealed=document.is_sealed),
            ]
        )
    )
    return story


def _page_decorator(document):
    def draw(canvas, doc) -> None:
        font = register_font()
        canvas.saveState()
        top = PAGE_HEIGHT - 18 * mm
        canvas.setFillColor(RED)
        canvas.setFont(font, 24)
        canvas.drawCentredString(PAGE_WIDTH / 2, top - 10 * mm, document.department.name)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(2)
        canvas.line(MARGIN_X, top - 16 * mm, PAGE_WIDTH - MARGIN_X, top - 16 * mm)
        canvas.setFillColor(colors.black)
        canvas.setFont(font, 11)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top - 22 * mm, document.number)
        canvas.setFont(font, 8.5)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(PAGE_WIDTH / 2, 12 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def render_document_pdf(document) -> bytes:
    """The PDF bytes of ``document`` (an IssuedDocument with number, token and issued_at set)."""
    seal = seal_png(document.department.name) if document.is_sealed else b""
    buffer = io.BytesIO()
    with _render_lock:
        styles = _styles()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=HEADER_HEIGHT + 4 * mm,
            bottomMargin=20 * mm,
            title=f"{document.title} {document.number}",
            author=document.department.name,
            subject=document.get_kind_display(),
            creator=settings.PORTAL_NAME,
            invariant=True,
            initialFontName=FONT_NAME,
        )
        decorate = _page_decorator(document)
        template.build(_story(document, styles, seal), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
