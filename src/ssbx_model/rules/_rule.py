"""What the engine needs from a rule: the :class:`Rule` protocol."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from ssbx_model.case import Case
from ssbx_model.information.sets import InformationSet
from ssbx_model.rules._reasons import TraceStep, Verdict
from ssbx_model.rules.parameters import ParameterView

__all__ = ["Rule"]


@runtime_checkable
class Rule(Protocol):
    """What the engine needs from a rule: a few attributes and one method, :meth:`check`.

    ``id`` is the stable public id; ``source_text`` is the quoted source (Swedish) and
    ``citation`` where it comes from; ``parameters`` names every parameter the rule reads
    and ``needs`` every information set it may read. :meth:`check` is pure: it must not
    read the clock, files or the network. It is the rule's one evaluation, with or
    without a trace: it appends :class:`TraceStep`\\ s to ``trace`` when ``trace`` is a
    list, and its verdict must not depend on whether it does.
    :class:`~ssbx_model.rules.authoring.ConditionRule` implements it for rules made of
    conditions.
    """

    @property
    def id(self) -> str:
        """The stable id (e.g. ``"skat15"``)."""

    @property
    def version(self) -> str:
        """The rule's version: changes whenever its behaviour changes."""

    @property
    def title_en(self) -> str:
        """A short English title."""

    @property
    def title_sv(self) -> str:
        """A short Swedish title."""

    @property
    def source_text(self) -> str:
        """The quoted source text (Swedish, as written in the source)."""

    @property
    def citation(self) -> str:
        """Where the rule comes from (publisher, document, section; statute)."""

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters the rule reads."""

    @property
    def needs(self) -> tuple[InformationSet, ...]:
        """The information sets the rule may read."""

    def check(
        self, case: Case, on: dt.date, params: ParameterView, trace: list[TraceStep] | None
    ) -> Verdict:
        """Decide for ``case`` on ``on`` with ``params``; record steps in ``trace``."""
