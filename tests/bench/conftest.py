"""The model and knowledge base of tests/e2e (trained once, cached by fingerprint) for the smoke
runs of the load generator; under --import-mode=importlib a conftest is only seen by its own
folder, so the fixtures are imported here."""
from tests.e2e.conftest import e2e_settings, trained_model  # noqa: F401
