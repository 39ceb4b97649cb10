"""The OpenAPI schema says what the API really answers, errors included.

drf-spectacular documents only the success response of each operation. Every operation can
also refuse a request in the one error shape of ``apps.common.api`` (400 malformed, 403 not
signed in or not allowed, 404 unknown object or page, 409 a transition the state does not
allow, 415 a body in a media type it does not read, 429 too many requests where the view
throttles); this schema class adds those responses,
so clients and the contract test (schemathesis) can rely on the schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "稳定的错误代码，供程序判断"},
                    "message": {"type": "string", "description": "给人看的中文说明"},
                    "fields": {"description": "逐项的错误说明（按字段）"},
                },
                "required": ["code", "message"],
            }
        },
        "required": ["error"],
    },
)

_DESCRIPTIONS = {
    "400": "请求有误",
    "403": "未登录或无权操作",
    "404": "对象或页码不存在",
    "409": "当前状态不允许此操作",
    "415": "不支持的请求格式",
    "429": "请求过于频繁，请稍后再试",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        self.registry.register_on_missing(ERROR_COMPONENT)
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ERROR_COMPONENT.ref}},
                },
            )
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        # An id in the path or the body, or a page past the end, may name nothing.
        if writes or "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if writes:
            codes += ["409", "415"]
        if self.view.get_throttles():
            codes.append("429")
        return codes
