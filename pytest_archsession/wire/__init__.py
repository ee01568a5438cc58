"""Talking to Genesys Cloud over HTTP: the transport, OAuth and the API."""
