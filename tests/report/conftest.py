"""The admin app fixtures (tests/admin/conftest.py) for the report's page tests."""

from tests.admin.conftest import admin_client, client, settings  # noqa: F401
