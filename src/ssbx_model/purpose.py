"""Purposes for which information may be requested, and the roles that request it.

Every request through a port carries a purpose: SSBTEK may only be used for
social-assistance cases (socialtjänstlagen 4 kap.); the labour-market unit's use, the
SSBTX case, needs its own basis; statistics get pseudonymous aggregates only; a handover
to another municipality carries the minimum the receiver needs.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose", "Role"]


class Purpose(StrEnum):
    """Why information is requested (ändamål)."""

    #: Investigating and deciding social assistance, socialtjänstlagen (2001:453) 4 kap.
    SOCIAL_ASSISTANCE = "social-assistance"
    #: Planning and following up municipal labour-market interventions (SSBTX proposal).
    LABOUR_MARKET = "labour-market"
    #: Official statistics and follow-up (INUK, SCB, Kolada): pseudonymous or aggregated.
    STATISTICS = "statistics"
    #: Handing a case over to the municipality a person moves to (överlämning mellan
    #: kommuner; SSBTX report part 2, Tabell 7): only what the receiver needs.
    HANDOVER = "handover"


class Role(StrEnum):
    """Who is asking, as far as access is concerned (roll)."""

    #: Social worker deciding social assistance (socialsekreterare).
    SOCIAL_WORKER = "socialsekreterare"
    #: Employment officer of the municipal labour-market unit (arbetskonsulent).
    EMPLOYMENT_OFFICER = "arbetskonsulent"
    #: Statistician producing pseudonymous reports and aggregates.
    STATISTICS = "statistics"
