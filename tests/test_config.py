"""Reading the TOML configuration and putting the command line on top of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.config import (
    Config,
    EmailConfig,
    config_from_dict,
    load_config,
    override,
    parse_address,
)
from briefing.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]

MINIMAL = """
[input]
paths = ["articles"]

[output]
path = "briefs/brief-{date}.docx"

[email]
host = "smtp.example.com"
port = 2525
security = "ssl"
username = "brief"
password_env = "BRIEF_PASSWORD"
from = "Brief <brief@example.com>"
to = ["a@example.com", "Bo <b@example.com>"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_acceptance_keys_are_read_and_paths_are_relative_to_the_file(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.inputs == (tmp_path / "articles",)
    assert config.output_for(dt.date(2026, 11, 28)) == tmp_path / "briefs/brief-2026-11-28.docx"
    email = config.email
    assert (email.host, email.port, email.security) == ("smtp.example.com", 2525, "ssl")
    assert (email.username, email.password_env) == ("brief", "BRIEF_PASSWORD")
    assert email.sender == "Brief <brief@example.com>"
    assert email.to == ("a@example.com", "Bo <b@example.com>")
    assert email.check() is email


def test_the_example_config_loads_and_can_send(tmp_path):
    config = load_config(REPO / "examples" / "briefing.toml")
    config.email.check()
    assert config.inputs == (REPO / "examples" / "articles",)
    assert "{top_story}" in config.email.subject


def test_a_single_recipient_may_be_a_string_and_the_port_follows_security():
    email = config_from_dict({"email": {"from": "x@example.com", "to": "a@example.com"}}).email
    assert email.to == ("a@example.com",)
    assert email.effective_port == 587
    assert EmailConfig(security="ssl").effective_port == 465
    assert EmailConfig(security="none").effective_port == 25


def test_the_briefing_table_becomes_briefing_options():
    config = config_from_dict(
        {
            "briefing": {
                "title": "Morning brief",
                "classifier": "house",
                "max_items": 12,
                "max_file_mb": 1,
            }
        }
    )
    assert config.briefing.title == "Morning brief"
    assert config.briefing.classifier == "house"
    assert config.briefing.max_items == 12
    assert config.briefing.max_bytes == 1024 * 1024


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"emial": {}}, "emial"),
        ({"email": {"hots": "x"}}, "hots"),
        ({"email": {"port": "587"}}, "port must be an integer"),
        ({"email": {"security": "tls"}}, "security must be one of"),
        ({"email": {"to": [1, 2]}}, "list of strings"),
        ({"email": {"password": "hunter2"}}, "password_env"),
        ({"briefing": {"max_items": 0}}, "at least 1"),
        ({"output": {"path": 3}}, "must be a string"),
    ],
)
def test_a_wrong_key_or_value_is_named_in_the_error(data, complaint):
    with pytest.raises(ConfigError, match=complaint):
        config_from_dict(data)


def test_a_password_in_the_file_is_refused_without_echoing_it():
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"email": {"password": "hunter2"}})
    assert "hunter2" not in str(caught.value)


def test_an_unreadable_or_invalid_file_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[email\nhost = 1"))


@pytest.mark.parametrize(
    ("email", "complaint"),
    [
        (EmailConfig(to=("a@example.com",)), "from is missing"),
        (EmailConfig(sender="x@example.com"), "to is missing"),
        (
            EmailConfig(sender="x@example.com", to=("not an address",)),
            r"^\[email\] to: 'not an address' is not one e-mail address$",
        ),
        (
            EmailConfig(sender="x@example.com", to=("a@example.com",), cc=("cos@@example",)),
            r"^\[email\] cc: 'cos@@example' is not one e-mail address$",
        ),
        (
            EmailConfig(
                sender="x@example.com",
                to=("a@example.com",),
                username="u",
                password_env="P",
                password_keyring="smtp.example.com",
            ),
            "both set",
        ),
        (
            EmailConfig(sender="x@example.com", to=("a@example.com\r\nBcc: evil@example.com",)),
            "control character",
        ),
        (
            EmailConfig(sender="x@example.com", to=("a@example.com, b@example.com",)),
            "not one e-mail address",
        ),
        (
            EmailConfig(sender="x@example.com", to=("a@example.com",), username="u"),
            "neither password_env nor password_keyring",
        ),
        (
            EmailConfig(
                host="smtp.example.com",
                security="none",
                sender="x@example.com",
                to=("a@example.com",),
                username="u",
                password_env="P",
            ),
            "unencrypted",
        ),
    ],
)
def test_a_config_that_cannot_send_says_why(email, complaint):
    with pytest.raises(ConfigError, match=complaint):
        email.check()


def test_an_address_with_a_display_name_parses_to_one_address():
    address = parse_address("Morning Brief <brief@example.com>")
    assert (address.display_name, address.addr_spec) == ("Morning Brief", "brief@example.com")


def test_recipients_gather_to_cc_and_bcc_without_duplicates():
    email = EmailConfig(
        to=("A <a@example.com>",), cc=("b@example.com", "a@example.com"), bcc=("c@example.com",)
    )
    assert email.recipients == ("a@example.com", "b@example.com", "c@example.com")


def test_command_line_values_override_the_file_and_none_leaves_it_alone(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    changed = override(
        config,
        inputs=(Path("other"),),
        output=None,
        email={"to": ("z@example.com",), "host": None, "port": 25},
        briefing={"title": "Evening brief", "max_items": None},
    )
    assert changed.inputs == (Path("other"),)
    assert changed.output == config.output
    assert changed.email.to == ("z@example.com",)
    assert changed.email.host == "smtp.example.com"
    assert changed.email.port == 25
    assert changed.briefing.title == "Evening brief"
    assert changed.briefing.max_items == config.briefing.max_items


def test_an_output_path_may_hold_only_the_date():
    with pytest.raises(ConfigError, match="only \\{date\\}"):
        Config(output="brief-{day}.docx").output_for(dt.date(2026, 1, 2))
    assert Config(output="b-{date:%Y%m%d}.docx").output_for(dt.date(2026, 1, 2)) == Path(
        "b-20260102.docx"
    )


def test_braces_in_the_config_folder_do_not_break_the_date_template(tmp_path):
    folder = tmp_path / "odd{name}"
    folder.mkdir()
    config = load_config(write(folder, MINIMAL))
    assert config.output_for(dt.date(2026, 1, 2)) == folder / "briefs/brief-2026-01-02.docx"


def test_recipients_that_differ_only_in_case_are_one_person():
    email = EmailConfig(to=("dup@example.com",), cc=("DUP@example.com",), bcc=("Dup@Example.com",))
    assert email.recipients == ("dup@example.com",)
