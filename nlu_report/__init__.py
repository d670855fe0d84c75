"""`make eval-nlu`: intent and entity scores of the trained model, per language, in reports/nlu/.

Split by job so the scoring and drawing test without a model: `examples` reads the test data,
`intents` and `entities` score predictions, `plot` draws the confusion matrix, `predict` is the only
module that loads Rasa, `report` writes the files and `__main__` ties them together.
"""
