"""The wire protocol shared by the client and the stub: paths, headers, the request
document and error documents.

``POST /v1/cases/fetch`` carries a JSON **request document** (media type
``application/json``)::

    {
      "version": "1",
      "person": "19900101-9810",
      "purpose": "social-assistance",
      "on": "2024-05-02",
      "sets": ["activity_reports", "enrolment"],
      "requester": {"user": "u123", "role": "socialsekreterare", "organisation": "0180"}
    }

The person's number travels only in this body, never in the URL, a query or a header,
so that it does not end up in access logs. A successful answer is the case document of
:mod:`ssbx_model.codec.xml` (``application/xml``) holding every requested set and no
other; a person the service does not know is ``404`` with a problem document
(``application/problem+json``, RFC 9457) that never repeats the number.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

from ssbx_model.errors import InvalidIdentityNumber, Problem, ValidationError
from ssbx_model.identity import parse_person_id
from ssbx_model.information.sets import InformationSet
from ssbx_model.ports import FetchRequest, Requester
from ssbx_model.purpose import Purpose, Role

__all__ = [
    "ADMIN_PREFIX",
    "ATTEMPT_HEADER",
    "FETCH_PATH",
    "HEALTH_PATH",
    "PROBLEM_MEDIA_TYPE",
    "REQUEST_ID_HEADER",
    "REQUEST_VERSION",
    "TEXT_PATTERN",
    "XML_MEDIA_TYPE",
    "decode_request",
    "encode_request",
    "has_text",
    "problem_document",
]

FETCH_PATH: Final = "/v1/cases/fetch"
HEALTH_PATH: Final = "/v1/health"
ADMIN_PREFIX: Final = "/v1/_"
#: Correlation id of one fetch (the same on every attempt); safe to log.
REQUEST_ID_HEADER: Final = "SSBX-Request-Id"
#: The attempt number of this request within its fetch (1, 2, ...).
ATTEMPT_HEADER: Final = "SSBX-Attempt"
XML_MEDIA_TYPE: Final = "application/xml"
PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
REQUEST_VERSION: Final = "1"

_FIELDS: Final = frozenset({"version", "person", "purpose", "on", "sets", "requester"})
_REQUESTER_FIELDS: Final = frozenset({"user", "role", "organisation"})


def encode_request(request: FetchRequest) -> bytes:
    """The JSON request document for ``request`` (sets in a stable, sorted order).

    This is one of the few places that reveal the number: it goes into the body only.
    """
    document = {
        "version": REQUEST_VERSION,
        "person": request.person.reveal(),
        "purpose": request.purpose.value,
        "on": request.on.isoformat(),
        "sets": sorted(s.value for s in request.sets),
        "requester": {
            "user": request.requester.user,
            "role": request.requester.role.value,
            "organisation": request.requester.organisation,
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _enum(problems: list[Problem], path: str, kind: Any, value: object) -> Any:
    if not isinstance(value, str):
        problems.append(Problem(path, "must be a string"))
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in kind)
        problems.append(Problem(path, f"must be one of {allowed}"))
        return None


#: The OpenAPI pattern of a text that must say something; ``has_text`` is its Python twin.
#: Python's ``str.isspace`` and JSON Schema's (ECMA-262) ``\s`` differ on U+001C-U+001F,
#: U+0085 and U+FEFF, so both sides name those explicitly.
TEXT_PATTERN: Final = "[^\\s\\u001c-\\u001f\\u0085\\ufeff]"


def has_text(value: str) -> bool:
    """True when ``value`` has a character that is not white space (in either sense)."""
    return any(not (c.isspace() or c == "\ufeff") for c in value)


def _text(problems: list[Problem], path: str, value: object) -> str | None:
    if not isinstance(value, str) or not has_text(value):
        problems.append(Problem(path, "must be a non-empty string"))
        return None
    return value


def decode_request(body: bytes) -> FetchRequest:
    """Parse and validate a request document (the stub's side).

    Raises:
        ValidationError: listing every problem with its path; messages never repeat the
            person's number.
    """
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(Problem("", "the body is not a JSON document")) from None
    if not isinstance(document, dict):
        raise ValidationError(Problem("", "the request document must be a JSON object"))
    problems: list[Problem] = []
    problems.extend(
        Problem(str(name), "is not a field of the request document")
        for name in sorted(set(document) - _FIELDS, key=str)
    )
    problems.extend(
        Problem(name, "is required") for name in sorted(_FIELDS - set(document) - {"version"})
    )
    version = document.get("version", REQUEST_VERSION)
    if version != REQUEST_VERSION:
        problems.append(Problem("version", f"must be {REQUEST_VERSION!r}"))

    person = None
    if "person" in document:
        raw = document["person"]
        if not isinstance(raw, str):
            problems.append(Problem("person", "must be a string"))
        else:
            try:
                # The 12-digit forms only: a provider must not guess a century.
                person = parse_person_id(raw)
            except InvalidIdentityNumber as exc:
                problems.append(Problem("person", str(exc)))
    purpose = (
        _enum(problems, "purpose", Purpose, document.get("purpose"))
        if ("purpose" in document)
        else None
    )
    on = None
    if "on" in document:
        raw_on = document["on"]
        try:
            if not isinstance(raw_on, str) or len(raw_on) != 10:
                raise ValueError
            on = dt.date.fromisoformat(raw_on)
        except ValueError:
            problems.append(Problem("on", "must be a date written YYYY-MM-DD"))
    sets: set[InformationSet] = set()
    if "sets" in document:
        raw_sets = document["sets"]
        if not isinstance(raw_sets, list) or not raw_sets:
            problems.append(Problem("sets", "must be a non-empty list of information sets"))
        else:
            for i, item in enumerate(raw_sets):
                value = _enum(problems, f"sets[{i}]", InformationSet, item)
                if value is not None:
                    if value in sets:
                        problems.append(Problem(f"sets[{i}]", "is listed twice"))
                    sets.add(value)
    requester = None
    if "requester" in document:
        requester = _decode_requester(problems, document["requester"])
    if problems:
        raise ValidationError(problems)
    assert person is not None
    assert purpose is not None
    assert on is not None
    assert requester is not None
    return FetchRequest(
        person=person, sets=frozenset(sets), purpose=purpose, on=on, requester=requester
    )


def _decode_requester(problems: list[Problem], raw: object) -> Requester | None:
    if not isinstance(raw, dict):
        problems.append(Problem("requester", "must be an object"))
        return None
    before = len(problems)
    problems.extend(
        Problem(f"requester.{name}", "is not a field of the requester")
        for name in sorted(set(raw) - _REQUESTER_FIELDS, key=str)
    )
    user = _text(problems, "requester.user", raw.get("user"))
    organisation = _text(problems, "requester.organisation", raw.get("organisation"))
    role = _enum(problems, "requester.role", Role, raw.get("role"))
    if len(problems) > before or user is None or organisation is None or role is None:
        return None
    return Requester(user=user, role=role, organisation=organisation)


def problem_document(status: int, title: str, detail: str, **extra: Any) -> bytes:
    """An RFC 9457 problem document; callers must not put identity numbers in it."""
    document: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    document["detail"] = detail
    document.update(extra)
    return json.dumps(document, ensure_ascii=False).encode()
