"""GeoReport v2 responses in JSON and XML, and its error format.

JSON is a list of objects (a service definition is one object). XML has a root element
holding one element per item, every field a child element, UTF-8 with the XML declaration;
lists inside an item (a definition's attributes, an attribute's values) nest as the
specification shows: ``<attributes><attribute>…<values><value><key/><name/></value>``.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# The element name of one member of a nested list, by the list's element name.
CHILD = {"attributes": "attribute", "values": "value"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        node = ET.SubElement(parent, key)
        if isinstance(value, list):
            for member in value:
                _fill(ET.SubElement(node, CHILD.get(key, "item")), member)
        else:
            node.text = _text(value)


def to_xml(root: str, item: str | None, data: list[dict] | dict) -> bytes:
    top = ET.Element(root)
    if item is None:
        _fill(top, data)  # a single object (service_definition)
    else:
        for entry in data:
            _fill(ET.SubElement(top, item), entry)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def respond(
    data: list[dict] | dict, fmt: str, *, root: str, item: str | None, status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type=XML_TYPE, status=status)
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error: ``[{"code": 400, "description": "…"}]`` /
    ``<errors><error><code>400</code><description>…</description></error></errors>``."""
    return respond(
        [{"code": status, "description": description}],
        fmt,
        root="errors",
        item="error",
        status=status,
    )
