"""Use cases: what the web, the API, the CLI and the inbox all call. Services
receive their repositories (typed as Protocols) and never touch I/O directly."""
