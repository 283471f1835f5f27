"""Email: addresses, messages, signed unsubscribe links and the transports
that hand messages to an SMTP server (or to a folder, when none is set)."""
