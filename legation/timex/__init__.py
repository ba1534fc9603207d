"""Time expressions: find them and normalise them to TIMEX3 values."""
from legation.timex.tagger import parse_published, tag_times

__all__ = ["tag_times", "parse_published"]
