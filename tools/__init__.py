"""Developer tools that are not part of the service (run as ``python -m tools.<name>``)."""
