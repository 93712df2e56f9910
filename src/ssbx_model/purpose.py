"""Purposes for which information about a person may be requested or released.

Every request through a port carries a purpose: SSBTEK may only be used for
social-assistance cases (socialtjänstlagen 4 kap.); the labour-market unit's use, the
SSBTX case, needs its own basis; statistics get pseudonymous aggregates only.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose"]


class Purpose(StrEnum):
    """Why information is requested (ändamål)."""

    #: Investigating and deciding social assistance, socialtjänstlagen (2001:453) 4 kap.
    SOCIAL_ASSISTANCE = "social-assistance"
    #: Planning and following up municipal labour-market interventions (SSBTX proposal).
    LABOUR_MARKET = "labour-market"
    #: Official statistics and follow-up (INUK, SCB, Kolada): pseudonymous or aggregated.
    STATISTICS = "statistics"
