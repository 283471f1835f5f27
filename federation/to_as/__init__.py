"""Conversion from the domain to ActivityStreams, one module per shape."""
