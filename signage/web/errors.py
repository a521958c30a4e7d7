"""JSON errors for the API: {"error": {"code": ..., "message": ...}} with a fitting status."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify

MESSAGES_VI = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập (Authorization: Bearer <token>).",
    403: "Không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ.",
    409: "Xung đột dữ liệu.",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Cần gửi JSON (Content-Type: application/json).",
    422: "Dữ liệu không hợp lệ.",
    429: "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    500: "Lỗi máy chủ.",
}


class ApiError(Exception):
    """An error a client caused, with a stable code and a Vietnamese message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_response(status: int, code: str, message: str, **extra: Any):
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, **exc.extra)
