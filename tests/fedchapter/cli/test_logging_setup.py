"""The log formats the settings choose: JSON lines with the request id, or text."""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from fedchapter.cli.logging_setup import configure_logging
from fedchapter.request_ids import current_request_id
from fedchapter.settings import Settings, SettingsError, load_settings


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _settings(**values: str) -> Settings:
    return Settings(data_dir=Path("."), base_url="https://x.example", handle="x", **values)  # type: ignore[arg-type]


def test_json_lines_carry_the_request_id_and_extra_fields(restore_root_logger: None) -> None:
    stream = io.StringIO()
    configure_logging(_settings(log_format="json", log_level="info"), stream)
    token = current_request_id.set("req-7")
    try:
        logging.getLogger("fedchapter.test").info("delivered %s", "a note", extra={"host": "far.test"})
    finally:
        current_request_id.reset(token)
    logging.getLogger("fedchapter.test").debug("below the level")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 1
    assert lines[0]["message"] == "delivered a note"
    assert (lines[0]["request_id"], lines[0]["host"], lines[0]["level"]) == ("req-7", "far.test", "info")
    assert lines[0]["time"].endswith("+00:00")


def test_json_lines_carry_exceptions(restore_root_logger: None) -> None:
    stream = io.StringIO()
    configure_logging(_settings(log_format="json"), stream)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("fedchapter.test").exception("failed")
    line = json.loads(stream.getvalue())
    assert "request_id" not in line and "ValueError: boom" in line["exception"]


def test_text_lines_name_the_request(restore_root_logger: None) -> None:
    stream = io.StringIO()
    configure_logging(_settings(log_format="text"), stream)
    token = current_request_id.set("req-8")
    try:
        logging.getLogger("fedchapter.test").warning("slow")
    finally:
        current_request_id.reset(token)
    assert stream.getvalue().rstrip().endswith("WARNING fedchapter.test: slow [request req-8]")


def test_an_unknown_log_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fedchapter.toml").write_text(
        'base_url = "https://x.example"\nhandle = "x"\nlog_format = "xml"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="log_format"):
        load_settings(tmp_path, environ={})
