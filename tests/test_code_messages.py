"""An identity number typed into a code field is never repeated in the error message."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from ssbx_model.errors import ValidationError
from ssbx_model.identity import Personnummer
from ssbx_model.information import DisabilityCode
from ssbx_model.testing import strategies as ss


@given(ss.personnummer())
def test_a_number_in_a_code_field_is_described_not_repeated(person: Personnummer) -> None:
    clear = person.reveal()
    for typed in (clear, clear.replace("-", ""), clear[2:]):
        with pytest.raises(ValidationError) as caught:
            DisabilityCode(typed, dt.date(2024, 1, 1), "Arbetsförmedlingen")
        message = str(caught.value)
        assert "unknown code" in message
        assert typed not in message
        assert clear.replace("-", "")[2:] not in message.replace("-", "")


def test_a_short_unknown_code_is_named() -> None:
    with pytest.raises(ValidationError, match="unknown code 'xyz' in code list 'disability-code'"):
        DisabilityCode("xyz", dt.date(2024, 1, 1), "Arbetsförmedlingen")
