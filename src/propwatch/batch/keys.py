"""Result keys: which article, which text, which models.

A batch result is identified by ``(article_id, content_hash, model_version)``. Re-running a job
skips every key already stored, so an edited article (new hash) or a new model (new version) is
analysed again while unchanged work is not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Inputs that could not be read have no text; their key uses this hash.
NO_CONTENT = ""


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, as 64 hex characters."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class ResultKey:
    """The identity of one result row.

    Parameters
    ----------
    article_id : str
        The reader's stable article id; for unreadable inputs, the source (``path`` or
        ``path:line``).
    content_hash : str
        :func:`content_hash` of the article text, or :data:`NO_CONTENT` for unreadable inputs.
    model_version : str
        The pipeline's version string (see :func:`propwatch.batch.worker.pipeline_version`).
    """

    article_id: str
    content_hash: str
    model_version: str

    def digest(self) -> bytes:
        """16 bytes that stand for the key in in-memory sets (a million keys take ~100 MB)."""
        return key_digest(self.article_id, self.content_hash, self.model_version)


def key_digest(article_id: str, text_hash: str, model_version: str) -> bytes:
    """BLAKE2b-128 of the three key fields joined by NUL (which none of them contains)."""
    joined = f"{article_id}\0{text_hash}\0{model_version}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).digest()
