"""Opening a store from configuration: the factory, keys and key files, the entry point,
and the throw-away stores of ``ssbx_sql.testing``."""

from __future__ import annotations

import base64
import stat
from importlib import metadata
from pathlib import Path

import pytest
from sql_support import KEY, OTHER_KEY, case_of, person, postgres_admin_url
from sqlalchemy import create_engine, text
from ssbx_sql import (
    KEY_ENV,
    URL_ENV,
    SqlStore,
    create_store,
    decode_key,
    generate_key,
    load_key_file,
)
from ssbx_sql.testing import POSTGRES_URL_ENV, postgresql_store, sqlite_store

from ssbx_model.errors import AdapterError
from ssbx_model.registry import available_adapters, load_adapter


def test_generated_keys_are_32_random_bytes_in_base64() -> None:
    first, second = generate_key(), generate_key()
    assert first != second
    assert decode_key(first) != decode_key(second)
    assert len(decode_key(first)) == 32
    assert decode_key(first.rstrip("=") + "\n") == decode_key(first)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("not base64!", "not URL-safe base64"), (base64.b64encode(b"short").decode(), "at least 32")],
)
def test_bad_key_text_is_refused(text: str, problem: str) -> None:
    with pytest.raises(AdapterError, match=problem):
        decode_key(text)


def test_create_store_takes_url_and_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    with create_store(url, key=KEY) as store:
        store.save_case(case_of(person(981)))
    text_key = base64.urlsafe_b64encode(KEY).decode()
    with create_store(url, key=text_key) as store:
        assert list(store.list_cases()) == [person(981)]


def test_create_store_reads_url_and_key_from_the_environment(tmp_path: Path) -> None:
    environ = {
        URL_ENV: f"sqlite:///{tmp_path / 'env.sqlite3'}",
        KEY_ENV: base64.urlsafe_b64encode(KEY).decode(),
    }
    with create_store(environ=environ) as store:
        store.save_case(case_of(person(981)))
    assert (tmp_path / "env.sqlite3").is_file()
    with SqlStore(environ[URL_ENV], key=KEY) as store:
        assert list(store.list_cases()) == [person(981)]


def test_create_store_defaults_to_the_demo_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with create_store(key=KEY, environ={}) as store:
        assert store.dialect == "sqlite"
    assert (tmp_path / ".ssbx-demo" / "ssbx.sqlite3").is_file()


def test_create_store_without_a_key_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(AdapterError, match=f"needs a key.*{KEY_ENV}.*generate_key"):
        create_store(f"sqlite:///{tmp_path / 'x.sqlite3'}", environ={})


def test_a_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    key_file = tmp_path / "keys" / "sql.key"
    with create_store(url, key_file=key_file, create_key_file=True) as store:
        store.save_case(case_of(person(981)))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(load_key_file(key_file)) == 32
    with create_store(url, key_file=key_file) as store:
        assert list(store.list_cases()) == [person(981)]


def test_a_missing_key_file_is_an_error_unless_created(tmp_path: Path) -> None:
    with pytest.raises(AdapterError, match="cannot read the SQL store key file"):
        load_key_file(tmp_path / "absent.key")


def test_the_entry_point_names_the_factory(tmp_path: Path) -> None:
    (point,) = [p for p in metadata.entry_points(group="ssbx_model.adapters") if p.name == "sql"]
    assert point.load() is create_store
    assert "sql" in available_adapters()
    store = load_adapter("sql", url=f"sqlite:///{tmp_path / 'reg.sqlite3'}", key=OTHER_KEY)
    try:
        assert isinstance(store, SqlStore)
    finally:
        store.close()


def test_the_sqlite_test_store_removes_its_database() -> None:
    with sqlite_store() as store:
        store.save_case(case_of(person(981)))
        path = Path(store.engine.url.database or "")
        assert path.is_file()
    assert not path.exists()


@pytest.mark.postgres
def test_the_postgresql_test_store_drops_its_schema() -> None:
    admin_url = postgres_admin_url()
    with postgresql_store(admin_url) as store:
        store.save_case(case_of(person(981)))
        with store.engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        assert schema.startswith("ssbx_test_")
    admin = create_engine(admin_url)
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}
            ).scalar_one()
    finally:
        admin.dispose()
    assert found == 0


def test_the_postgresql_test_store_needs_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POSTGRES_URL_ENV, raising=False)
    with pytest.raises(AdapterError, match=POSTGRES_URL_ENV), postgresql_store():
        pass
