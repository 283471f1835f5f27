"""ActivityPub: vocabulary, conversion both ways, signatures, fetching, the
inbox handlers and the delivery queue. The domain never sees JSON-LD; this
package is where it is made and read."""
