"""Test-wide settings: temporary files of tests and doctests go under pytest's tmp_path."""

from __future__ import annotations

import tempfile

import pytest


@pytest.fixture(autouse=True)
def _temporary_files_in_tmp_path(tmp_path, monkeypatch):
    """Docstring examples use :func:`tempfile.mkdtemp`; keep what they write with the test run."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
