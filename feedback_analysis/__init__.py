"""Feedback analysis: what citizens say about a municipality's services on social media."""

__version__ = "0.1.0"
