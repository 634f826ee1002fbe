"""The CaRB benchmark (Bhardwaj, Aggarwal & Mausam, EMNLP 2019): its metric, vendored under its
MIT licence (``metric.py``, ``LICENSE``), and the bridge from graph-builder's triples to it."""

from .benchmark import (
    AlignedSentence, CarbExtraction, CarbReport, align, carb_extraction, carb_predictions, evaluate_carb,
    score_carb, write_carb_predictions,
)

__all__ = [
    "AlignedSentence", "CarbExtraction", "CarbReport", "align", "carb_extraction", "carb_predictions",
    "evaluate_carb", "score_carb", "write_carb_predictions",
]
