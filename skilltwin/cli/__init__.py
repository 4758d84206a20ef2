"""The ``skilltwin`` command line: thin wrappers around the public API."""
