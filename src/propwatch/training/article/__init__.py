"""Training of the article-level models (genre, frames, narratives, roles, cast)."""
