"""Loaded by scripts/schemathesis (SCHEMATHESIS_HOOKS): tus bodies are raw bytes, sent as such."""
import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
