"""Article-level estimators: genre, frames, narratives and entity roles (no torch at inference)."""
