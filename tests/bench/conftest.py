"""The model and knowledge base of a real assistant (tests/servers.py; trained once, cached by
fingerprint) for the smoke runs of the load generator, this folder's own instances."""
from tests import servers

e2e_settings, trained_model = servers.e2e_settings, servers.trained_model
