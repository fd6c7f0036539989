"""Training of the technique tagger; needs the ``train`` extra (torch, transformers)."""
