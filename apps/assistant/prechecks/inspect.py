"""What can be seen in one file without a person (DOMAIN Q2, C7)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from PIL import Image, ImageStat, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from apps.common.idnumbers import validate_credit_code, validate_resident_id
from apps.common.pii import keyed_hash, mask_id_number

# A scan needs about 150 dpi to be legible: an A4 page's short side is then ~1240 px, an
# ID card's ~500 px. Below this short side a photo is very likely unreadable.
MIN_SHORT_SIDE = 500
# The grey-level spread of a blank page photographed or scanned (paper noise only).
BLANK_STDDEV = 4.0
MAX_PAGES_READ = 50
_NUMBER = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


@dataclass
class Finding:
    code: str
    message: str


@dataclass
class FileFacts:
    findings: list[Finding] = field(default_factory=list)
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    numbers: list[dict[str, str]] = field(default_factory=list)


def numbers_in(text: str) -> list[dict[str, str]]:
    """The valid resident ID numbers and credit codes in ``text``: kind, keyed hash and
    masked form (never the number itself)."""
    found: dict[str, dict[str, str]] = {}
    for candidate in _NUMBER.findall((text or "").upper()):
        for kind, validate in (("id", validate_resident_id), ("uscc", validate_credit_code)):
            try:
                number = validate(candidate)
            except ValidationError:
                continue
            found[number] = {
                "kind": kind,
                "hash": keyed_hash(number),
                "masked": mask_id_number(number),
            }
            break
    return list(found.values())


def inspect_pdf(data: bytes) -> FileFacts:
    facts = FileFacts()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            facts.findings.append(
                Finding(
                    "pdf_encrypted",
                    "PDF文件已加密或设有密码，审核人员无法打开，请上传未加密的文件。",
                )
            )
            return facts
        facts.pages = len(reader.pages)
        text, images = "", 0
        for page in list(reader.pages)[:MAX_PAGES_READ]:
            text += (page.extract_text() or "") + "\n"
            resources = page.get("/Resources") or {}
            images += len((resources.get("/XObject") or {}) if hasattr(resources, "get") else {})
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        facts.findings.append(
            Finding("pdf_unreadable", "PDF文件已损坏，无法打开，请重新生成后上传。")
        )
        return facts
    if not facts.pages:
        facts.findings.append(Finding("pdf_no_pages", "PDF文件没有页面，请检查后重新上传。"))
    elif not text.strip() and not images:
        facts.findings.append(
            Finding("pdf_blank", "PDF文件的页面上没有文字也没有图片，可能是空白文件，请检查。")
        )
    facts.numbers = numbers_in(text)
    return facts


def inspect_image(data: bytes) -> FileFacts:
    facts = FileFacts()
    try:
        with Image.open(io.BytesIO(data)) as image:
            facts.width, facts.height = image.size
            image.thumbnail((512, 512))
            spread = max(ImageStat.Stat(image.convert("L")).stddev)
    except (UnidentifiedImageError, OSError, ValueError):
        facts.findings.append(Finding("image_unreadable", "图片无法打开，请重新拍摄或扫描后上传。"))
        return facts
    if min(facts.width, facts.height) < MIN_SHORT_SIDE:
        facts.findings.append(
            Finding(
                "image_small",
                f"图片分辨率较低（{facts.width}×{facts.height}像素），可能看不清，"
                f"请重新拍摄或扫描（短边不低于{MIN_SHORT_SIDE}像素）。",
            )
        )
    if spread < BLANK_STDDEV:
        facts.findings.append(
            Finding("image_blank", "图片几乎是一片空白，请确认拍到了材料的内容。")
        )
    return facts


def inspect_file(data: bytes, extension: str) -> FileFacts:
    """The facts of a file whose type was already read from its content (C7)."""
    if extension == "pdf":
        return inspect_pdf(data)
    if extension in {"jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif", "webp"}:
        return inspect_image(data)
    return FileFacts()
