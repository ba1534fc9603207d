"""Legation: sourced, time-stamped international event data from news."""
from legation.pipeline import Pipeline, analyze
from legation.records import Analysis, Document, TimeValue

__version__ = "0.1.0"
__all__ = ["analyze", "Pipeline", "Analysis", "Document", "TimeValue", "__version__"]
