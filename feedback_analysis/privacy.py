"""Personal data out of post texts: the privacy rules of the cleaning stage, under their old name.

The code lives in :mod:`feedback_analysis.clean` (``pii``, ``names``, ``pseudonyms``); this module keeps
``from feedback_analysis.privacy import ...`` working for notebooks and scripts.
"""

from feedback_analysis.clean.names import NameMasker, mask_personal_data
from feedback_analysis.clean.pii import PLACEHOLDERS, mask_addresses, mask_pii
from feedback_analysis.clean.pseudonyms import load_or_create_salt, pseudonymise, scrub_file_name, scrub_url

__all__ = [
    "PLACEHOLDERS",
    "NameMasker",
    "load_or_create_salt",
    "mask_addresses",
    "mask_personal_data",
    "mask_pii",
    "pseudonymise",
    "scrub_file_name",
    "scrub_url",
]
