"""What the webhook fuzz tests share: a body budget and hypothesis settings that fit CI."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

BODY_BUDGET = 4096  # bytes of a generated body; the 1 MB cap has its own tests
FUZZ = settings(
    max_examples=60,
    deadline=2000,  # ms per example: a handled message runs the engine on a real database
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
