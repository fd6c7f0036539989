"""The document model (Article, Span, Analysis) and the text layer (paragraphs, sentences)."""
