"""The ranking profile is the one home of the served weights, and a malformed one is refused."""
import pytest

from matchmaker.matching.profile import ProfileError, load_profile, parse_profile


def test_the_default_profile_loads_and_feeds_the_search_engine():
    profile = load_profile()
    assert profile.name == "default" and profile.fusion in ("linear", "rrf")
    config = profile.ranking_config(["lexical", "minilm", "usem3", "other"])
    assert set(config.weights) == {"lexical", "minilm", "usem3", "other"}
    assert config.window == profile.window == config.max_results
    assert profile.fit.missing_certification < profile.fit.pending_certification < 0


@pytest.mark.parametrize("data, message", [
    ({"fit": {"missing_certificaton": -1}}, "unknown fit signal"),
    ({"fusion": {"method": "max"}}, "fusion.method"),
    ({"fusion": {"weights": {"lexical": -1}}}, "weights"),
    ({"floor": 3}, "must be a table"),
])
def test_malformed_profiles_are_refused(data, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile(data, "bad")


def test_a_missing_profile_is_a_clear_error():
    with pytest.raises(ProfileError, match="no ranking profile 'nope'"):
        load_profile("nope")


def test_language_weights_and_boosts_read_back_from_toml():
    import tomllib

    from matchmaker.matching.profile import ProfileError, load_profile, parse_profile, profile_toml
    served = load_profile()
    assert served.weights_for("ko")["minilm"] == 0.0 and served.weights_for("en")["minilm"] > 0
    assert served.weights_for("other") != served.weights_for("en")
    again = parse_profile(tomllib.loads(profile_toml(served)), served.name)
    assert again == served
    with pytest.raises(ProfileError, match="unknown language group"):
        parse_profile({"fusion": {"language_weights": {"fr": {"lexical": 1}}}}, "bad")
    with pytest.raises(ProfileError, match="unknown field"):
        parse_profile({"lexical": {"boosts": {"title": 2}}}, "bad")
    with pytest.raises(ProfileError, match="numbers >= 0"):
        parse_profile({"lexical": {"boosts": {"name": -1}}}, "bad")
