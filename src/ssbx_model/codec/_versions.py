"""The schema version of the case document, and the registry of upgrades from older ones.

The version follows semantic versioning (``MAJOR.MINOR.PATCH``):

- a **patch** release changes documentation or schema annotations only;
- a **minor** release adds optional fields: a reader of ``1.y`` reads every ``1.x`` with
  ``x <= y``;
- a **major** release renames, removes or retypes something: a reader reads the older
  major only through registered upgrades.

The XML namespace carries the major version (``urn:ssbx:case:1``), so a document in an
incompatible major version cannot be mistaken for the current one.

An upgrade transforms **one case** as parsed from the older version into the next
version: a ``dict`` for JSON, an ``lxml`` ``<case>`` element for XML. Chains of upgrades
are followed until a readable version is reached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final, Literal, TypeAlias

from ssbx_model.errors import SchemaVersionError, SsbxError

__all__ = [
    "NAMESPACE",
    "SCHEMA_VERSION",
    "Format",
    "Upgrade",
    "namespace_for",
    "parse_version",
    "register_upgrade",
    "registered_upgrades",
    "unregister_upgrade",
]

#: The schema version this library writes.
SCHEMA_VERSION: Final = "1.2.0"
_MAJOR, _MINOR, _PATCH = (int(p) for p in SCHEMA_VERSION.split("."))
NAMESPACE_PREFIX: Final = "urn:ssbx:case:"
#: The XML namespace of the current major version.
NAMESPACE: Final = f"{NAMESPACE_PREFIX}{_MAJOR}"

Format: TypeAlias = Literal["json", "xml"]
#: An upgrade function: one case as written in the older version in, as the newer out.
Upgrade: TypeAlias = Callable[[Any], Any]

_VERSION = re.compile(r"(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\Z", re.ASCII)
_MAX_STEPS: Final = 32

_UPGRADES: dict[tuple[Format, str], tuple[str, Upgrade]] = {}


def parse_version(text: object) -> tuple[int, int, int]:
    """``(major, minor, patch)`` of a ``MAJOR.MINOR.PATCH`` string.

    Raises:
        SchemaVersionError: if ``text`` is not a version string.
    """
    if not isinstance(text, str) or _VERSION.match(text) is None:
        raise SchemaVersionError(
            f"the schema version must be written MAJOR.MINOR.PATCH, e.g. {SCHEMA_VERSION!r}"
        )
    major, minor, patch = (int(p) for p in text.split("."))
    return major, minor, patch


def namespace_for(version: str) -> str:
    """The XML namespace of a schema version: ``urn:ssbx:case:<major>``."""
    return f"{NAMESPACE_PREFIX}{parse_version(version)[0]}"


def is_readable(version: str) -> bool:
    """True if this library reads ``version`` as it is (same major, minor not newer)."""
    major, minor, _ = parse_version(version)
    return major == _MAJOR and minor <= _MINOR


def register_upgrade(
    from_version: str, to_version: str, upgrade: Upgrade, *, format: Format
) -> None:
    """Register ``upgrade``, which turns one case of ``from_version`` into ``to_version``.

    For ``format="json"`` it receives and returns the case's ``dict`` (the value of
    ``"case"``, or one item of ``"cases"``); for ``format="xml"`` one ``<case>`` element
    (an ``lxml.etree._Element`` in the older version's namespace) and returns the element
    in the newer one (:func:`ssbx_model.codec.xml.move_to_namespace` helps).

    Raises:
        ValueError: if ``from_version`` is readable as it is, the versions are not in
            order, or an upgrade from ``from_version`` is already registered.
    """
    if format not in ("json", "xml"):
        raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
    if parse_version(from_version) >= parse_version(to_version):
        raise ValueError(f"an upgrade goes to a newer version: {from_version} -> {to_version}")
    if is_readable(from_version):
        raise ValueError(f"version {from_version} is read as it is and needs no upgrade")
    if (format, from_version) in _UPGRADES:
        raise ValueError(f"an upgrade from {from_version} ({format}) is already registered")
    _UPGRADES[format, from_version] = (to_version, upgrade)


def unregister_upgrade(from_version: str, *, format: Format) -> None:
    """Remove the upgrade registered from ``from_version`` (no error if there is none)."""
    _UPGRADES.pop((format, from_version), None)


def registered_upgrades(format: Format) -> dict[str, str]:
    """The registered upgrades of ``format``, as ``{from_version: to_version}``."""
    return {v: to for (f, v), (to, _) in _UPGRADES.items() if f == format}


def _unsupported(version: str, format: Format) -> SchemaVersionError:
    major, minor, _ = parse_version(version)
    readable = f"{_MAJOR}.0.0 to {_MAJOR}.{_MINOR}.x"
    if major == _MAJOR and minor > _MINOR:
        return SchemaVersionError(
            f"the document has schema version {version}, newer than this library reads "
            f"({readable}): upgrade ssbx_model"
        )
    known = sorted(registered_upgrades(format), key=parse_version)
    upgrades = f"; upgrades are registered from {', '.join(known)}" if known else ""
    return SchemaVersionError(
        f"the document has schema version {version}, which this library cannot read: it "
        f"reads {readable}{upgrades} (see ssbx_model.codec.register_upgrade)"
    )


def upgrade_path(version: str, format: Format) -> list[tuple[str, str, Upgrade]]:
    """The upgrades that bring ``version`` to a readable one (empty if it is readable).

    Raises:
        SchemaVersionError: if ``version`` is malformed, newer than this library, or no
            chain of registered upgrades leads to a readable version.
    """
    steps: list[tuple[str, str, Upgrade]] = []
    current = version
    while not is_readable(current):
        found = _UPGRADES.get((format, current))
        if found is None or len(steps) >= _MAX_STEPS:
            raise _unsupported(current if not steps else version, format)
        steps.append((current, found[0], found[1]))
        current = found[0]
    return steps


def apply_upgrades(steps: list[tuple[str, str, Upgrade]], case: Any) -> Any:
    """Run ``steps`` on one case.

    Raises:
        SchemaVersionError: if an upgrade function fails (its exception is chained; the
            message names only its type, never the data).
    """
    for old, new, upgrade in steps:
        try:
            case = upgrade(case)
        except SsbxError:
            raise
        except Exception as exc:
            raise SchemaVersionError(
                f"the upgrade from schema version {old} to {new} failed on this document "
                f"({type(exc).__name__})"
            ) from exc
    return case
