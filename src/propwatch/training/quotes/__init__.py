"""Training of the learned quote-content tagger (needs the ``train`` extra)."""
