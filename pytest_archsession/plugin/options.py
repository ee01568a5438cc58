"""The plugin's options, and the one function that applies their precedence:
command line, then environment, then ini. Secrets never come from ini.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..errors import ArchUsageError
from ..locations import Location, resolve_location
from ..secrets import Secret, has_control_character

END_MODES = ("end", "endWithLogout")
RECORD_MODES = ("once", "new_episodes", "none", "all", "rewrite")


@dataclass(frozen=True)
class Option:
    """One setting: its flag, ini key, environment variable and help."""

    dest: str
    help: str
    ini: bool = True
    env: str | None = None
    default: str | None = None
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.dest.replace("_", "-")


OPTIONS = (
    Option(
        "arch_location",
        "where the org lives: prod, prod_eu_west_1, eu-west-1, mypurecloud.ie, ...",
        env="GENESYSCLOUD_REGION",
        metavar="LOCATION",
    ),
    Option(
        "arch_client_id",
        "OAuth client id",
        ini=False,
        env="GENESYSCLOUD_OAUTHCLIENT_ID",
        metavar="ID",
    ),
    Option(
        "arch_client_secret",
        "OAuth client secret (prefer the environment variable)",
        ini=False,
        env="GENESYSCLOUD_OAUTHCLIENT_SECRET",
        metavar="SECRET",
    ),
    Option(
        "arch_auth_token",
        "start with this access token instead of a client id and secret",
        ini=False,
        env="GENESYSCLOUD_ACCESS_TOKEN",
        metavar="TOKEN",
    ),
    Option(
        "arch_end_mode",
        "how the session ends: end, or endWithLogout to revoke the token",
        default="end",
        metavar="MODE",
    ),
    Option(
        "arch_cassette_dir",
        "directory of the session cassettes, relative to rootdir",
        default="cassettes",
        metavar="DIR",
    ),
    Option("arch_login_url", "override the login base URL", metavar="URL"),
    Option("arch_api_url", "override the API base URL", metavar="URL"),
    Option("arch_timeout", "seconds to connect and to read, each", default="30"),
    Option("arch_max_retries", "retries of one request", default="3"),
    Option(
        "arch_max_retry_wait",
        "seconds of waiting allowed for the retries of one request",
        default="60",
    ),
    Option(
        "arch_redirect_port",
        "loopback port that receives the browser login",
        default="9001",
    ),
)

CLIENT_CREDENTIALS_INI = "arch_client_credentials"


def add_options(parser: pytest.Parser) -> None:
    """Register every option in the ``archsession`` group, with its ini key."""
    group = parser.getgroup("archsession", "Genesys Cloud Architect sessions")
    for option in OPTIONS:
        env = f" [env {option.env}]" if option.env else ""
        group.addoption(
            option.flag,
            dest=option.dest,
            default=None,
            metavar=option.metavar,
            help=f"{option.help}{env}",
        )
        if option.ini:
            parser.addini(option.dest, option.help, default=option.default)
    group.addoption(
        "--arch-client-credentials",
        dest="arch_client_credentials",
        action="store_const",
        const=True,
        default=None,
        help="the client id and secret are a client-credentials OAuth client "
        "(the default)",
    )
    group.addoption(
        "--arch-no-client-credentials",
        dest="arch_client_credentials",
        action="store_const",
        const=False,
        help="log a person in through the browser (authorization code grant)",
    )
    parser.addini(
        CLIENT_CREDENTIALS_INI,
        "the credentials are a client-credentials OAuth client",
        type="bool",
        default=True,
    )


@dataclass(frozen=True)
class Settings:
    """Every option, resolved and checked."""

    location_name: str | None
    location: Location | None
    client_id: str | None
    client_secret: Secret | None
    auth_token: Secret | None
    client_credentials: bool
    end_mode: str
    cassette_dir: Path
    timeout: float
    max_retries: int
    max_retry_wait: float
    redirect_port: int
    record_mode: str | None
    disable_recording: bool

    @property
    def has_credentials(self) -> bool:
        """Return whether credentials were given on the command line or in env."""
        return bool(self.auth_token or self.client_secret)


def raw_value(config: pytest.Config, option: Option, environ: Mapping[str, str]) -> Any:
    """Return one option's value by precedence: command line, env, ini.

    An empty environment variable counts as unset; an empty command-line
    value does not, and is refused where it cannot mean anything.
    """
    value = config.getoption(option.dest)
    if value is not None and not value.strip() and option.ini:
        raise ArchUsageError(
            f"{option.flag} was given an empty value; give one, or leave the "
            "option out to use the environment or the ini file."
        )
    if value is None and option.env:
        value = environ.get(option.env) or None
    if value is None and option.ini:
        value = config.getini(option.dest) or None
    if value is None:
        value = option.default
    return value


def read_settings(
    config: pytest.Config, environ: Mapping[str, str] | None = None
) -> Settings:
    """Resolve every option of the run.

    :raises pytest.UsageError: with a message that names the bad value.
    """
    try:
        return _read(config, os.environ if environ is None else environ)
    except ArchUsageError as exc:
        raise pytest.UsageError(f"archsession: {exc}") from None


def _read(config: pytest.Config, environ: Mapping[str, str]) -> Settings:
    values = {option.dest: raw_value(config, option, environ) for option in OPTIONS}
    values.update(_credential_values(config, environ))
    client_id, secret, token = _credentials(values)
    name = values["arch_location"]
    location = None
    if name:
        location = resolve_location(
            name, values["arch_login_url"], values["arch_api_url"]
        )
    return Settings(
        location_name=name,
        location=location,
        client_id=client_id,
        client_secret=secret,
        auth_token=token,
        client_credentials=_client_credentials(config),
        end_mode=_choice("arch_end_mode", values["arch_end_mode"], END_MODES),
        cassette_dir=Path(config.rootpath, values["arch_cassette_dir"]),
        timeout=_number("arch_timeout", values["arch_timeout"], float, 0.001, 3600),
        max_retries=_number(
            "arch_max_retries", values["arch_max_retries"], int, 0, 100
        ),
        max_retry_wait=_number(
            "arch_max_retry_wait", values["arch_max_retry_wait"], float, 0, 86400
        ),
        redirect_port=_number(
            "arch_redirect_port", values["arch_redirect_port"], int, 0, 65535
        ),
        record_mode=config.getoption("record_mode", None),
        disable_recording=bool(config.getoption("disable_recording", False)),
    )


CREDENTIAL_OPTIONS = ("arch_client_id", "arch_client_secret", "arch_auth_token")


def _credential_values(
    config: pytest.Config, environ: Mapping[str, str]
) -> dict[str, str | None]:
    """Return each credential by precedence, the command line over the
    environment, and a token or a client named on the command line over the
    other kind found in the environment."""
    options = [o for o in OPTIONS if o.dest in CREDENTIAL_OPTIONS]
    cli = {o.dest: config.getoption(o.dest) for o in options}
    env = {o.dest: environ.get(o.env or "") or None for o in options}
    values = {d: cli[d] if cli[d] is not None else env[d] for d in cli}
    token_on_cli = cli["arch_auth_token"] is not None
    client_on_cli = cli["arch_client_id"] is not None or (
        cli["arch_client_secret"] is not None
    )
    if token_on_cli and not client_on_cli:
        values["arch_client_id"] = values["arch_client_secret"] = None
    elif client_on_cli and not token_on_cli:
        values["arch_auth_token"] = None
    return values


def _credentials(
    values: dict[str, Any],
) -> tuple[str | None, Secret | None, Secret | None]:
    client_id, secret, token = (_stripped(values[name]) for name in CREDENTIAL_OPTIONS)
    if token is not None and secret is not None:
        raise ArchUsageError(
            "Both an auth token and a client secret were given. Give one: "
            "--arch-auth-token, or --arch-client-id with --arch-client-secret."
        )
    if secret is not None and not secret.strip():
        raise ArchUsageError(
            "The client secret is empty. Give the secret of the OAuth client "
            "(GENESYSCLOUD_OAUTHCLIENT_SECRET)."
        )
    if token is not None and not token.strip():
        raise ArchUsageError("The auth token is empty. Give the token itself.")
    for value, what in (
        (client_id, "client id"),
        (secret, "client secret"),
        (token, "auth token"),
    ):
        if value is not None and has_control_character(value):
            raise ArchUsageError(
                f"The {what} holds a control character (a line break, say), which "
                "no HTTP header can carry. Remove it."
            )
    if client_id is not None and not client_id.strip():
        raise ArchUsageError(
            "The client id is empty. Give the OAuth client's id "
            "(GENESYSCLOUD_OAUTHCLIENT_ID)."
        )
    if bool(client_id) != bool(secret):
        missing = "client secret" if client_id else "client id"
        raise ArchUsageError(
            f"A {missing} is missing: give both --arch-client-id and "
            "--arch-client-secret (or GENESYSCLOUD_OAUTHCLIENT_ID and "
            "GENESYSCLOUD_OAUTHCLIENT_SECRET)."
        )
    return (
        client_id,
        Secret(secret, "client_secret") if secret else None,
        Secret(token, "access_token") if token else None,
    )


def _stripped(value: str | None) -> str | None:
    """Return a credential without surrounding white space: a secret read
    from a file or a CI variable often ends with a newline."""
    return value.strip() if isinstance(value, str) else value


def _client_credentials(config: pytest.Config) -> bool:
    value = config.getoption("arch_client_credentials")
    if value is None:
        value = config.getini(CLIENT_CREDENTIALS_INI)
    return bool(value)


def _named(dest: str) -> str:
    """Return how the user may have given a setting: flag or ini key."""
    return f"--{dest.replace('_', '-')} (ini {dest})"


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ArchUsageError(
            f"{_named(name)} is {value!r}; it must be one of: {', '.join(choices)}."
        )
    return value


_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _number(
    name: str,
    value: str,
    kind: type[int] | type[float],
    low: float,
    high: float | None = None,
) -> Any:
    shape = _INTEGER if kind is int else _DECIMAL
    text = str(value).strip()
    number = kind(text) if shape.fullmatch(text) else None
    if number is None or number < low or (high is not None and number > high):
        what = "whole number" if kind is int else "number"
        upper = f" and at most {high:g}" if high is not None else ""
        raise ArchUsageError(
            f"{_named(name)} is {value!r}; it must be a {what} of at least "
            f"{low:g}{upper}."
        )
    return number
