import importlib.machinery
import importlib.util
import os

import pytest

CLIENT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sdocker")


@pytest.fixture
def sdocker():
    """The client script as a module (it has no .py suffix: it is the command users run)."""
    loader = importlib.machinery.SourceFileLoader("sdocker", CLIENT)
    spec = importlib.util.spec_from_loader("sdocker", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A clean HOME and environment, so the user's own config never leaks into a test."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("SDOCKER_ENDPOINT", "SDOCKER_METADATA_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "DOCKER_HOST",
                 "DOCKER_CONTEXT", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path
