"""Personal data out of post texts (moved to clean/pii.py; split next)."""

from feedback_analysis.clean.pii import *  # noqa: F403
from feedback_analysis.clean.pii import PLACEHOLDERS, NameMasker, load_or_create_salt, mask_personal_data, mask_pii, pseudonymise, scrub_file_name, scrub_url  # noqa: F401
