"""Errors raised by the Discord double.

``ApiError`` is what the double answers over HTTP (it becomes a JSON error body, the way Discord
reports errors). ``DoubleUsageError`` is raised in the *test* when the test asks the double to do
something a real Discord user could not do (click a disabled button, run an unregistered command,
pick a value that is not one of the choices...), so typos and impossible scenarios fail loudly.
"""

from __future__ import annotations

from typing import Any


class DoubleUsageError(AssertionError):
    """The test asked for something Discord's client would never send."""


class ClientDiedError(AssertionError):
    """The discord.py client task watched by the double ended with an exception."""


class ApiError(Exception):
    """An HTTP error answer, shaped like Discord's: ``{"message", "code"[, "errors"]}``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


# Common Discord JSON error codes used by the double.
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_EMOJI = 10014
UNKNOWN_WEBHOOK = 10015
UNKNOWN_APPLICATION_COMMAND = 10063
UNKNOWN_INTERACTION = 10062
REQUEST_TOO_LARGE = 40005
ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
CANNOT_EDIT_OTHERS_MESSAGE = 50005
EMPTY_MESSAGE = 50006
CANNOT_SEND_TO_USER = 50007
NON_TEXT_CHANNEL = 50008
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035
ARCHIVED_THREAD = 50083
THREAD_ALREADY_CREATED = 160004
WRONG_CHANNEL_TYPE = 50024
CANNOT_EXECUTE_ON_DM = 50003


def not_found(code: int, what: str) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


def missing_access() -> ApiError:
    return ApiError(403, MISSING_ACCESS, "Missing Access")


def missing_permissions() -> ApiError:
    return ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")


def bad_request(code: int, message: str) -> ApiError:
    return ApiError(400, code, message)


class FormErrors:
    """Collects field errors and raises one ``400 50035 Invalid Form Body`` like Discord."""

    def __init__(self) -> None:
        self._errors: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...] | list[str | int], code: str, message: str) -> None:
        node = self._errors
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], limit: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def bad_length(self, path: tuple[str | int, ...], low: int, high: int) -> None:
        self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, path: tuple[str | int, ...]) -> None:
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def __bool__(self) -> bool:
        return bool(self._errors)

    def raise_if_any(self) -> None:
        if self._errors:
            raise ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", errors=self._errors)
