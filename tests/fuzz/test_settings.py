"""The fuzz tests take derandomization and the example database from the profile loaded by
tests/conftest.py ("suite" in `make test`, "explore" in `make fuzz`), and only their number of
examples from themselves, scaled by PMOT_FUZZ_SCALE when exploring."""

import pytest
from hypothesis import settings

from tests.fuzz import hostile
from tests.fuzz.test_public_input import FUZZ


@pytest.fixture
def profile():
    """Load a profile for one test, then the one loaded before."""
    loaded = settings.get_current_profile_name()
    yield settings.load_profile
    settings.load_profile(loaded)


def test_the_suite_profile_is_derandomized_without_a_database(profile, monkeypatch):
    monkeypatch.setenv("PMOT_FUZZ_SCALE", "20")
    profile("suite")
    chosen = hostile.fuzz_settings(8)
    assert chosen.derandomize is True
    assert chosen.database is None
    assert chosen.max_examples == 8


def test_the_explore_profile_draws_at_random_and_scales_the_examples(profile, monkeypatch):
    monkeypatch.setenv("PMOT_FUZZ_SCALE", "20")
    profile("explore")
    chosen = hostile.fuzz_settings(8)
    assert chosen.derandomize is False
    assert chosen.database is None
    assert chosen.max_examples == 160
    monkeypatch.delenv("PMOT_FUZZ_SCALE")
    assert hostile.fuzz_settings(8).max_examples == 8


def test_the_explicit_settings_set_nothing_the_profile_decides():
    """Settings are made when the test modules are imported, after the profile is loaded."""
    for chosen in (hostile.fuzz_settings(8), FUZZ):
        assert chosen.derandomize == settings.default.derandomize
        assert chosen.database == settings.default.database
