"""The one function that masks identity-number-shaped sequences in free text.

Public as :func:`ssbx_model.identity.mask_identity_numbers`; it lives in its own module
so that :mod:`ssbx_model.errors` (which :mod:`ssbx_model.identity` imports) can use it.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["mask_identity_numbers", "masked_field"]

_MASK: Final = "****"

# What is masked: the written forms of an identity number, YYMMDD-NNNC, YYMMDD+NNNC,
# YYYYMMDD-NNNC (and with "+"), YYMMDDNNNC and YYYYMMDDNNNC, wherever they stand (inside a
# word too, as in an XML element name "x199001011234"), but not as part of a longer run of
# digits: 10 or 12 digits are a number, 19 digits (an int64 bound in a message) are not.
# Any Unicode decimal digit counts as a digit (a human reads "１９９０..." as a number
# even though the parser refuses it).
#
# What is kept: the library's own identifiers (uuid4().hex request and event ids, SHA-256
# prefixes in idempotency keys) are lower-case hexadecimal words of 16 or more characters
# with a letter; a digit run inside one is part of the identifier. The first alternative
# consumes such a word whole, so that no match starts inside it (one linear scan).
_SHAPED: Final = re.compile(
    r"(?P<hex>(?<![0-9A-Za-z])(?=[0-9]*[a-f])[0-9a-f]{16,}(?![0-9A-Za-z]))"
    r"|(?<!\d)(?P<head>\d{6}(?:\d\d)?)(?P<sep>[-+]?)\d{4}(?!\d)"
)

# Six digits in a row (any Unicode decimal digits, as above): the least that every masked
# shape holds. A text without them is returned as it is, without the full scan.
_SIX_DIGITS: Final = re.compile(r"\d{6}")


def mask_identity_numbers(text: str) -> str:
    """``text`` with every identity-number-shaped sequence masked as the library masks
    an identity number: the birth date kept, the last four digits hidden.

    ``"pnr 199001011234"`` becomes ``"pnr 19900101-****"``, ``"<x900101-1234>"`` becomes
    ``"<x900101-****>"`` (``+`` is kept as the separator). Applying it twice changes
    nothing.

    Masked: 10 or 12 digits, or 6 or 8 digits, ``-`` or ``+`` and 4 digits, that are not
    part of a longer run of digits; letters around them do not matter. Kept: other runs
    of digits (dates such as ``2024-01-01``, amounts, the 19 digits of an int64 bound),
    and digits inside a lower-case hexadecimal word of 16 or more characters with a
    letter (request ids, hashes).

    Every message of :mod:`ssbx_model.errors`, every answer's ``reason`` and the audit
    trail's free text pass through this function.
    """
    if not isinstance(text, str):
        raise TypeError(f"masking works on str, not {type(text).__name__}")
    if _SIX_DIGITS.search(text) is None:
        return text  # every masked shape has six digits in a row; most texts have none
    return _SHAPED.sub(_masked, text)


def _masked(m: re.Match[str]) -> str:
    if m.group("hex") is not None:
        return m.group()
    return f"{m.group('head')}{m.group('sep') or '-'}{_MASK}"


def masked_field(text: str) -> str:
    """An attrs converter: ``text`` masked; a value that is not text is left for the
    class's own type check to report."""
    return mask_identity_numbers(text) if isinstance(text, str) else text
