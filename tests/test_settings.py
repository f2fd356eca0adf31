"""Settings that protect production."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured


@pytest.mark.parametrize("module", ["casebase.wsgi", "casebase.asgi"])
def test_server_refuses_to_start_without_a_secret_key(module, monkeypatch, settings):
    """With debug off and no DJANGO_SECRET_KEY, the application does not load."""
    settings.DEBUG = False
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        importlib.reload(importlib.import_module(module))
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-for-this-test")
    assert importlib.reload(importlib.import_module(module)).application is not None


def test_content_security_policy_is_strict(client, db):
    """Every page carries a self-only policy with no inline script."""
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
