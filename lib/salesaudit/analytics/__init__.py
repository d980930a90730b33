"""Sales analytics of the method: pure functions over a :class:`~salesaudit.model.Dataset`."""

from salesaudit.analytics._base import INSUFFICIENT, OK, AnalysisResult, not_enough_data, requires

__all__ = ["INSUFFICIENT", "OK", "AnalysisResult", "not_enough_data", "requires"]
