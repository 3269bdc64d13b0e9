"""Admin tests: every request in an app context of its own, as on a server.

The shared ``db`` fixture keeps one app context open for the whole test, and Flask
reuses it for each test-client request, so ``g`` (where flask-login caches the
signed-in user) would outlive a request: a second client, or an account
deactivated between two requests, would see the first request's user.
"""
import pytest
from flask.testing import FlaskClient


class FreshContextClient(FlaskClient):
    """A test client whose every request gets a new app context (and so a new ``g`` and database session)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app):
    """The shared app, with test clients that do not share ``g`` between requests."""
    app.test_client_class = FreshContextClient
    return app
