"""Fault injection for the stub: what can go wrong, and the dice that decide when.

:class:`Faults` is the switchboard (set at start from the command line, replaced at run
time through ``POST /v1/_faults``). :class:`FaultInjector` draws, for each fetch, one
:class:`FaultPlan`: the latency to add, at most one failure, and the sets to answer
``unavailable``. With ``first=K`` the faults hit only the first K fetches after they were
set, so that a retry deterministically succeeds.

The failures, checked in this order (the first whose dice fire wins):

``reset``
    the connection is aborted with a TCP RST before any response;
``timeout``
    the stub hangs ``hang_s`` seconds (until the client gives up) before answering;
``error``
    an HTTP ``error_status`` (default 503) with a problem document;
``truncate``
    the headers promise the full ``Content-Length``, half the body is sent, then the
    connection is closed;
``cut``
    a well-framed 200 whose case document stops half way (the length matches);
``malformed``
    a 200 whose body is no document at all (``malformed_kind="not-xml"``: plain text),
    a document with broken syntax (``"invalid-xml"``; broken JSON when the client asked
    for JSON) or a well-formed document that is not a case document (``"invalid-case"``).
"""

from __future__ import annotations

import random
import threading
from typing import Any, Final

import attrs

from ssbx_http.wire import has_text
from ssbx_model.errors import Problem, ValidationError
from ssbx_model.information.sets import InformationSet

__all__ = ["FAILURE_KINDS", "MALFORMED_KINDS", "FaultInjector", "FaultPlan", "Faults"]

FAILURE_KINDS: Final = ("reset", "timeout", "error", "truncate", "cut", "malformed")
MALFORMED_KINDS: Final = ("not-xml", "invalid-xml", "invalid-case")
_RATES: Final = {kind: f"{kind}_rate" for kind in FAILURE_KINDS}
_HOUR_MS: Final = 3_600_000.0
_DEFAULT_REASON: Final = "the provider's register could not be reached (stub fault)"


def _number_in(value: object, lowest: float, highest: float) -> bool:
    """True for an int or float (not a bool) in ``[lowest, highest]``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return lowest <= value <= highest


@attrs.frozen
class Faults:
    """Which faults the stub injects; the default injects none.

    Rates are probabilities in [0, 1] per fetch. ``latency_ms`` is added to every fetch,
    plus a uniform random ``0..latency_jitter_ms`` (each at most an hour, as is
    ``hang_s``). ``unavailable_sets`` are answered
    ``unavailable`` with ``unavailable_reason``. ``first`` limits every fault to the
    first K fetches after the faults were set (None: no limit). ``seed`` seeds the dice.
    """

    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    reset_rate: float = 0.0
    timeout_rate: float = 0.0
    hang_s: float = 30.0
    error_rate: float = 0.0
    error_status: int = 503
    truncate_rate: float = 0.0
    cut_rate: float = 0.0
    malformed_rate: float = 0.0
    malformed_kind: str = "not-xml"
    unavailable_sets: frozenset[InformationSet] = frozenset()
    unavailable_reason: str = _DEFAULT_REASON
    first: int | None = None
    seed: int | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, most in (
            ("latency_ms", _HOUR_MS),
            ("latency_jitter_ms", _HOUR_MS),
            ("hang_s", _HOUR_MS / 1000),
        ):
            if not _number_in(getattr(self, name), 0, most):
                problems.append(Problem(name, f"must be a number from 0 to {most:g}"))
        for name in _RATES.values():
            if not _number_in(getattr(self, name), 0, 1):
                problems.append(Problem(name, "must be a number from 0 to 1"))
        status = self.error_status
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            problems.append(Problem("error_status", "must be an HTTP status from 400 to 599"))
        if self.malformed_kind not in MALFORMED_KINDS:
            problems.append(Problem("malformed_kind", f"must be one of {list(MALFORMED_KINDS)}"))
        reason = self.unavailable_reason
        if not isinstance(reason, str) or not has_text(reason):
            problems.append(Problem("unavailable_reason", "must not be empty"))
        first = self.first
        first_ok = first is None or (
            isinstance(first, int) and not isinstance(first, bool) and first >= 0
        )
        if not first_ok:
            problems.append(Problem("first", "must be a whole number >= 0 or null"))
        seed = self.seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            problems.append(Problem("seed", "must be a whole number or null"))
        if problems:
            raise ValidationError(problems)

    @property
    def active(self) -> bool:
        """True when any fault is switched on."""
        return bool(
            self.latency_ms
            or self.latency_jitter_ms
            or self.unavailable_sets
            or any(getattr(self, rate) for rate in _RATES.values())
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form (the body of ``POST /v1/_faults``)."""
        document = attrs.asdict(self)
        document["unavailable_sets"] = sorted(s.value for s in self.unavailable_sets)
        return document

    @classmethod
    def from_json(cls, document: object) -> Faults:
        """Build from the JSON form; missing fields take their defaults.

        Raises:
            ValidationError: listing every unknown field and bad value.
        """
        if not isinstance(document, dict):
            raise ValidationError(Problem("", "the faults must be a JSON object"))
        names = {f.name for f in attrs.fields(cls)}
        problems = [
            Problem(str(key), "is not a fault setting")
            for key in sorted(set(document) - names, key=str)
        ]
        values = {k: v for k, v in document.items() if k in names}
        raw_sets = values.pop("unavailable_sets", [])
        sets: set[InformationSet] = set()
        if not isinstance(raw_sets, list):
            problems.append(Problem("unavailable_sets", "must be a list of information sets"))
        else:
            for i, item in enumerate(raw_sets):
                try:
                    sets.add(InformationSet(item))
                except ValueError:
                    problems.append(Problem(f"unavailable_sets[{i}]", "is not an information set"))
        try:
            faults = cls(unavailable_sets=frozenset(sets), **values)
        except ValidationError as exc:
            problems.extend(exc.problems)
        except TypeError:
            problems.append(Problem("", "the faults have values of the wrong type"))
        if problems:
            raise ValidationError(problems)
        return faults


@attrs.frozen
class FaultPlan:
    """What the stub does to one fetch (the settings it needs are copied in, so that a
    change of faults while the fetch is under way does not mix two settings)."""

    latency_s: float = 0.0
    failure: str | None = None
    unavailable_sets: frozenset[InformationSet] = frozenset()
    unavailable_reason: str = _DEFAULT_REASON
    malformed_kind: str = "not-xml"
    hang_s: float = 30.0
    error_status: int = 503


_NO_FAULT: Final = FaultPlan()


class FaultInjector:
    """Holds the current :class:`Faults` and draws a plan per fetch (thread-safe)."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = Faults()
        self._drawn = 0
        self._rng = random.Random()
        self.set(faults or Faults())

    @property
    def faults(self) -> Faults:
        """The faults in force."""
        return self._faults

    def set(self, faults: Faults) -> None:
        """Replace the faults; ``first`` counts from now."""
        with self._lock:
            self._faults = faults
            self._drawn = 0
            self._rng = random.Random(faults.seed)

    def draw(self) -> FaultPlan:
        """The plan for the next fetch."""
        with self._lock:
            faults = self._faults
            if not faults.active:
                return _NO_FAULT
            index = self._drawn
            self._drawn += 1
            if faults.first is not None and index >= faults.first:
                return _NO_FAULT
            rng = self._rng
            latency = faults.latency_ms + rng.uniform(0, faults.latency_jitter_ms)
            failure = None
            for kind in FAILURE_KINDS:
                rate: float = getattr(faults, _RATES[kind])
                if rate and rng.random() < rate:
                    failure = kind
                    break
            return FaultPlan(
                latency_s=latency / 1000,
                failure=failure,
                unavailable_sets=faults.unavailable_sets,
                unavailable_reason=faults.unavailable_reason,
                malformed_kind=faults.malformed_kind,
                hang_s=faults.hang_s,
                error_status=faults.error_status,
            )
