"""Tests of the NLU report (make eval-nlu), without a model."""
