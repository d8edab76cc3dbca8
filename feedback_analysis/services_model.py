"""Kept so that ``from feedback_analysis.services_model import ...`` keeps working: see :mod:`feedback_analysis.services.model`."""

from feedback_analysis.services.model import (  # noqa: F401
    ALPHA,
    EXAMPLES,
    MAX_CHARS,
    NONE,
    ServiceModel,
    default_model,
    read_examples,
    training_examples,
)
