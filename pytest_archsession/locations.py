"""Where a Genesys Cloud org lives, and the URLs that reach it.

A location can be named the way Architect Scripting names it
(``prod_us_west_2``), by its AWS region (``us-west-2``), by its domain
(``usw2.pure.cloud``), or as ``prod`` for the original US East region.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ArchUsageError

#: AWS region -> the domain its org URLs are built on.
REGION_DOMAINS: dict[str, str] = {
    "us-east-1": "mypurecloud.com",
    "us-east-2": "use2.us-gov-pure.cloud",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud",
    "eu-west-1": "mypurecloud.ie",
    "eu-west-2": "euw2.pure.cloud",
    "eu-central-1": "mypurecloud.de",
    "eu-central-2": "euc2.pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "ap-northeast-1": "mypurecloud.jp",
    "ap-northeast-2": "apne2.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "ap-southeast-2": "mypurecloud.com.au",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}

#: The Genesys-internal environments: usable only with explicit URLs.
INTERNAL_ENVIRONMENTS = ("dev", "test")

_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def architect_name(region: str) -> str:
    """Return the Architect Scripting name of a production region."""
    return "prod_" + region.replace("-", "_")


@dataclass(frozen=True)
class Location:
    """A resolved org location: its names and the two base URLs.

    :param name: the Architect Scripting name, e.g. ``prod_us_east_1``.
    :param environment: ``prod``, ``dev`` or ``test``.
    :param region: the AWS region, e.g. ``us-east-1``.
    :param host: the domain the org's URLs are built on.
    :param login_url: base URL of the login service, no trailing slash.
    :param api_url: base URL of the Platform API, no trailing slash.
    """

    name: str
    environment: str
    region: str
    host: str
    login_url: str
    api_url: str

    @property
    def is_overridden(self) -> bool:
        """Return whether the base URLs differ from the location's own."""
        return (self.login_url, self.api_url) != _default_urls(self.host)


def _default_urls(host: str) -> tuple[str, str]:
    return f"https://login.{host}", f"https://api.{host}"


def _build_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {"prod": "us-east-1"}
    for region, domain in REGION_DOMAINS.items():
        aliases[region] = region
        aliases[architect_name(region)] = region
        aliases[domain] = region
    return aliases


_ALIASES = _build_aliases()


def valid_names() -> list[str]:
    """Return the Architect names of every known location, plus ``prod``."""
    return ["prod", *(architect_name(region) for region in REGION_DOMAINS)]


def resolve_location(
    name: str | Location,
    login_url: str | None = None,
    api_url: str | None = None,
) -> Location:
    """Resolve a location name to a :class:`Location`.

    :param name: any accepted form of the name, or a ``Location`` to which
        the URL overrides are applied.
    :param login_url: replaces the login base URL (tests, proxies).
    :param api_url: replaces the API base URL (tests, proxies).
    :raises ArchUsageError: for an unknown name, an internal environment
        without overrides, or an override URL that is not allowed.
    """
    if isinstance(name, Location):
        base = name
    else:
        base = _resolve_name(name, api_url if login_url else None)
    if login_url is None and api_url is None:
        return base
    return Location(
        name=base.name,
        environment=base.environment,
        region=base.region,
        host=base.host,
        login_url=check_base_url(login_url) if login_url else base.login_url,
        api_url=check_base_url(api_url) if api_url else base.api_url,
    )


def _resolve_name(name: str, api_url: str | None) -> Location:
    if not isinstance(name, str) or not name.strip():
        raise ArchUsageError(
            "No location was given. Name the org's location, for example "
            f"'prod' or 'prod_eu_west_1'; valid names: {', '.join(valid_names())}."
        )
    key = name.strip().lower()
    if key in INTERNAL_ENVIRONMENTS:
        return _internal_location(key, api_url)
    region = _ALIASES.get(_strip_service_prefix(key))
    if region is None:
        raise ArchUsageError(
            f"Unknown location {name!r}. Use one of: {', '.join(valid_names())}; "
            "an AWS region (us-west-2) or a domain (usw2.pure.cloud) works too."
        )
    host = REGION_DOMAINS[region]
    login, api = _default_urls(host)
    return Location(architect_name(region), "prod", region, host, login, api)


def _strip_service_prefix(key: str) -> str:
    for prefix in ("https://", "login.", "api."):
        key = key.removeprefix(prefix)
    return key.rstrip("/")


def _internal_location(key: str, api_url: str | None) -> Location:
    if not api_url:
        raise ArchUsageError(
            f"The location {key!r} is reserved for Genesys-internal use. Give both "
            "a login URL and an API URL (--arch-login-url, --arch-api-url) to use "
            "it, or pick a production location such as 'prod'."
        )
    host = urlsplit(check_base_url(api_url)).hostname or key
    return Location(key, key, "us-east-1", host, "", "")


def check_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash, if it may serve as a base URL.

    ``https`` is allowed anywhere; plain ``http`` only to a loopback host,
    so that a token never crosses a network in clear text.

    :raises ArchUsageError: when the URL is malformed or not allowed.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        # Said without the URL itself, which may hold a password.
        raise ArchUsageError(
            "A base URL is malformed (its host or port cannot be read). Give one "
            "such as https://api.mypurecloud.com or http://127.0.0.1:8642."
        ) from None
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ArchUsageError(
            "A base URL may not carry credentials, a query or a fragment; "
            "give only scheme, host, port and path."
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArchUsageError(
            f"The base URL {url!r} is not an http(s) URL with a host. "
            "Give one such as https://api.mypurecloud.com."
        )
    if port == 0:
        raise ArchUsageError(
            f"The base URL {url!r} names port 0, where nothing can listen. Give "
            "the port the service listens on."
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ArchUsageError(
            f"Plain http is allowed only to loopback hosts, not {parts.hostname!r}. "
            "Use https, or point the override at 127.0.0.1 or localhost."
        )
    return url.strip().rstrip("/")


def is_loopback(hostname: str) -> bool:
    """Return whether ``hostname`` names this machine's loopback interface."""
    if hostname.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False
