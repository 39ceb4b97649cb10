"""The blank form (空白表格) and the filled-in sample (填写样本) of an online application
form, printed from its definition: the guide lists them for people who fill in on paper,
and they can never disagree with the online form because both come from one definition."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.catalogue.application_forms.definition import Field, FormDefinition
from apps.catalogue.application_forms.display import display_value

FONT = "NotoSansSC"
BLANK_TABLE_ROWS = 3


@lru_cache(maxsize=1)
def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(settings.PDF_FONT_PATH)))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=_font(), fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("t", parent=base, fontSize=18, leading=26, alignment=TA_CENTER),
        "sub": ParagraphStyle("s", parent=base, alignment=TA_CENTER, textColor=colors.grey),
        "section": ParagraphStyle("h", parent=base, fontSize=12, leading=20, spaceBefore=4 * mm),
        "cell": base,
        "hint": ParagraphStyle(
            "hint", parent=base, fontSize=8.5, leading=12, textColor=colors.grey
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(rows: list[list[Any]], widths: list[float | None]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.96, 0.96, 0.96)),
                ("FONTNAME", (0, 0), (-1, -1), _font()),
            ]
        )
    )
    return table


def _value_text(f: Field, values: dict[str, Any] | None) -> str:
    if values is None:
        options = "□" + "  □".join(f.options) if f.type == "choice" else ""
        return options
    return display_value(f, values.get(f.key)) or ""


def _label(f: Field) -> str:
    return f.label + ("（必填）" if f.required else "")


def _table_field(f: Field, values: dict[str, Any] | None, styles) -> Table:
    header = [_p(c.label, styles["cell"]) for c in f.columns]
    rows = (values or {}).get(f.key) or []
    body = [
        [_p(display_value(c, row.get(c.key)) or "", styles["cell"]) for c in f.columns]
        for row in rows
    ] or [["" for _c in f.columns] for _i in range(BLANK_TABLE_ROWS)]
    table = Table([header, *body], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.96, 0.96, 0.96)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white]),
                ("MINROWHEIGHT", (0, 1), (-1, -1), 8 * mm),
            ]
        )
    )
    return table


def form_pdf(form: FormDefinition, *, subtitle: str, values: dict[str, Any] | None = None) -> bytes:
    """A4 PDF of ``form``: blank (``values=None``) or filled with ``values``."""
    styles = _styles()
    story: list[Any] = [_p(form.title, styles["title"]), _p(subtitle, styles["sub"])]
    declarations = []
    for section in form.sections:
        story.append(_p(section.title, styles["section"]))
        rows = []
        for f in section.fields:
            if f.type == "declaration":
                declarations.append(f)
                continue
            if f.type == "table":
                if rows:
                    story.append(_grid(rows, [45 * mm, None]))
                    rows = []
                story += [
                    Spacer(1, 2 * mm),
                    _p(_label(f), styles["cell"]),
                    _table_field(f, values, styles),
                ]
                continue
            hint = (
                f"（{f.show_if.describe(form.get(f.show_if.field).label)}填写）"
                if f.show_if and form.get(f.show_if.field)
                else ""
            )
            rows.append(
                [_p(_label(f) + hint, styles["cell"]), _p(_value_text(f, values), styles["cell"])]
            )
        if rows:
            story.append(_grid(rows, [45 * mm, None]))
    for f in declarations:
        story += [Spacer(1, 4 * mm), _p(f.label, styles["section"]), _p(f.text, styles["cell"])]
    story += [
        Spacer(1, 8 * mm),
        _p(
            "申请人（签字或盖章）：____________________    日期：______年____月____日",
            styles["cell"],
        ),
        Spacer(1, 4 * mm),
        _p("本表由在线申请表生成，内容与网上填报一致；网上申请无需打印。", styles["hint"]),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{form.title}（{subtitle}）",
        invariant=True,
        initialFontName=_font(),
    )
    doc.build(story)
    return buffer.getvalue()


def sample_values(form: FormDefinition) -> dict[str, Any]:
    """The ``sample`` of every field, for the 填写样本."""
    return {f.key: f.sample for f in form.fields if f.sample is not None}
