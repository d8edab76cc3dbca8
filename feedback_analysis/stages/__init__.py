"""The pipeline's stages after ingest, each over the store layer: ``enrich`` (scores and thread
summaries), ``topics`` (per month, stable ids across months) and ``reports`` (what ``report --pending``
does). ``feedback_analysis.pipeline`` re-exports their public names."""
