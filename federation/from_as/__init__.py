"""Conversion from ActivityStreams to the domain, one module per shape.
Readers accept a superset: strings where we send objects, lists where we send
one value, every spelling of the public collection."""
