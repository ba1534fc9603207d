"""Evaluation of Legation's stages against gold-annotated corpora."""
