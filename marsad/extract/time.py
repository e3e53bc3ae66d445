"""Time expressions (see ``marsad.extract.timex``)."""

from marsad.extract.timex import extract_times

__all__ = ["extract_times"]
