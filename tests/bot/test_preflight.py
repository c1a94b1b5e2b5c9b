"""The production profile's start-up check against the machine's real PostgreSQL and Redis, and
against ports where nothing listens."""
from dataclasses import replace

from bot.preflight import shown, store_problems
from bot.settings import load_settings
from tests.servers import free_port


def _production(**overrides):
    values = dict(profile="production",
                  database_url="postgresql://postgres@127.0.0.1:5432/clair_not_created_yet",
                  tracker_store_url="postgresql://postgres@127.0.0.1:5432/clair_tracker_not_created_yet",
                  lock_store_url="redis://127.0.0.1:6379/0")
    return replace(load_settings(), **{**values, **overrides})


def test_reachable_servers_pass_even_before_the_databases_exist():
    assert store_problems(_production()) == []


def test_each_unreachable_server_is_named_in_one_sentence_without_its_password():
    closed = free_port()
    settings = _production(database_url=f"postgresql://app:s3cret@127.0.0.1:{closed}/clair",
                           lock_store_url=f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    problems = store_problems(settings)
    assert len(problems) == 2
    assert problems[0].startswith("Cannot reach the PostgreSQL server of DATABASE_URL")
    assert problems[1].startswith("Cannot reach the Redis lock store")
    assert not any("s3cret" in p or "hunter2" in p for p in problems)


def test_the_embedded_profile_has_nothing_to_reach():
    assert store_problems(replace(load_settings(), profile="embedded", lock_store_url="")) == []


def test_printed_urls_hide_passwords():
    assert "s3cret" not in shown("postgresql://app:s3cret@db/clair")
    assert shown("") == ""
