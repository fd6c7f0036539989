"""Training of the shipped models, apart from their inference code in :mod:`propwatch.models`.

Reads the research corpora, fits, tunes thresholds, scores held-out data with
:mod:`propwatch.eval` and writes model folders. It may import anything in propwatch; nothing
below the command line imports it. ``techniques`` needs the ``train`` extra (torch).
"""
