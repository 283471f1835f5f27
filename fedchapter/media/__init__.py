"""Pictures and documents: what an upload is, how it is checked and re-encoded (docs/media.md)."""
