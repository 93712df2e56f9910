"""Unemployment-fund membership (medlemskap i a-kassa).

Provider: Arbetsförmedlingen, as self-reported by the person (not verified), or the
fund. Source: SSBTX report part 2, the labour-market unit's needs. Union membership is
sensitive personal data: the fund's name can reveal it, so the access policy treats it
with care.
"""

from __future__ import annotations

import attrs

from ssbx_model.errors import Problem
from ssbx_model.information._base import (
    WithheldField,
    check_nonblank,
    check_types,
    check_withheld,
    raise_problems,
)

__all__ = ["UnemploymentFundMembership"]


@attrs.frozen(slots=True)
class UnemploymentFundMembership:
    """Whether the person is a member of an unemployment fund, and which one.

    ``self_reported`` is true when the fact comes from what the person told AF. ``fund``
    may be withheld by the access policy (it can reveal union membership): it is then None
    and named in ``withheld`` with the reason.
    """

    member: bool
    self_reported: bool
    fund: str | None = None
    withheld: tuple[WithheldField, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_types(self)
        problems: list[Problem] = []
        withheld = check_withheld(problems, self, self.withheld)
        check_nonblank(problems, "fund", self.fund)
        if not self.member and (self.fund is not None or "fund" in withheld):
            problems.append(Problem("fund", "a non-member has no fund"))
        raise_problems(problems)
