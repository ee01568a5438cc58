"""Every way a user names a location, and the base-URL overrides."""

from __future__ import annotations

import pytest

from pytest_archsession import ArchUsageError, resolve_location

#: The table of DESIGN section 2, written out again by hand on purpose.
DOMAINS = {
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

ARCHITECT_NAMES = [
    "prod_us_east_1",
    "prod_us_east_2",
    "prod_us_west_2",
    "prod_ca_central_1",
    "prod_sa_east_1",
    "prod_mx_central_1",
    "prod_eu_west_1",
    "prod_eu_west_2",
    "prod_eu_central_1",
    "prod_eu_central_2",
    "prod_me_central_1",
    "prod_ap_south_1",
    "prod_ap_northeast_1",
    "prod_ap_northeast_2",
    "prod_ap_northeast_3",
    "prod_ap_southeast_1",
    "prod_ap_southeast_2",
    "prod_eusc_de_east_1",
]

LOOPBACK = "http://127.0.0.1:8642"


def region_of(architect_name: str) -> str:
    return architect_name.removeprefix("prod_").replace("_", "-")


@pytest.mark.parametrize("name", ARCHITECT_NAMES)
def test_architect_name_resolves_to_its_login_and_api_hosts(name: str) -> None:
    region = region_of(name)
    domain = DOMAINS[region]

    location = resolve_location(name)

    assert (location.name, location.environment) == (name, "prod")
    assert (location.region, location.host) == (region, domain)
    assert location.login_url == f"https://login.{domain}"
    assert location.api_url == f"https://api.{domain}"


@pytest.mark.parametrize("region", sorted(DOMAINS))
def test_aws_region_and_domain_resolve_like_the_architect_name(region: str) -> None:
    by_region = resolve_location(region)
    by_domain = resolve_location(DOMAINS[region])

    assert by_region == by_domain
    assert by_region.name == "prod_" + region.replace("-", "_")
    assert by_region.api_url == f"https://api.{DOMAINS[region]}"


def test_prod_means_the_original_us_east_region() -> None:
    location = resolve_location("prod")

    assert location.name == "prod_us_east_1"
    assert location.login_url == "https://login.mypurecloud.com"
    assert location.api_url == "https://api.mypurecloud.com"


@pytest.mark.parametrize(
    ("typed", "name", "domain"),
    [
        ("euw2.pure.cloud", "prod_eu_west_2", "euw2.pure.cloud"),
        ("mx-central-1", "prod_mx_central_1", "mxc1.pure.cloud"),
        ("prod_ap_southeast_1", "prod_ap_southeast_1", "apse1.pure.cloud"),
    ],
)
def test_newer_regions_are_recognised(typed: str, name: str, domain: str) -> None:
    """C17: the names users typed for newer regions all resolve."""
    location = resolve_location(typed)

    assert location.name == name
    assert location.login_url == f"https://login.{domain}"
    assert location.api_url == f"https://api.{domain}"


@pytest.mark.parametrize(
    "typed", ["PROD_EU_WEST_2", "Prod", "EU-West-2", "EUW2.Pure.Cloud", " prod "]
)
def test_names_are_case_insensitive(typed: str) -> None:
    expected = "prod_us_east_1" if typed.strip().lower() == "prod" else "prod_eu_west_2"

    assert resolve_location(typed).name == expected


def test_unknown_location_lists_the_valid_names() -> None:
    with pytest.raises(ArchUsageError) as caught:
        resolve_location("prod_mars_north_1")

    message = str(caught.value)
    assert "prod_mars_north_1" in message
    for name in ["prod", *ARCHITECT_NAMES]:
        assert name in message


@pytest.mark.parametrize("name", ["dev", "test", "DEV"])
def test_internal_environments_are_refused_without_both_overrides(name: str) -> None:
    for login_url, api_url in [(None, None), (LOOPBACK, None), (None, LOOPBACK)]:
        with pytest.raises(ArchUsageError, match="reserved for Genesys-internal"):
            resolve_location(name, login_url, api_url)


@pytest.mark.parametrize("name", ["dev", "test"])
def test_internal_environments_are_accepted_with_both_overrides(name: str) -> None:
    location = resolve_location(name, "https://login.example.test", LOOPBACK)

    assert location.environment == name
    assert location.login_url == "https://login.example.test"
    assert location.api_url == LOOPBACK


def test_overrides_replace_the_base_urls_but_keep_the_location() -> None:
    location = resolve_location("eu-west-2", LOOPBACK + "/", LOOPBACK + "/api/")

    assert (location.name, location.host) == ("prod_eu_west_2", "euw2.pure.cloud")
    assert location.login_url == LOOPBACK
    assert location.api_url == LOOPBACK + "/api"
    assert location.is_overridden


def test_overrides_apply_to_a_location_already_resolved() -> None:
    resolved = resolve_location("prod_ap_south_1")

    moved = resolve_location(resolved, LOOPBACK, LOOPBACK)

    assert moved.name == "prod_ap_south_1"
    assert (moved.login_url, moved.api_url) == (LOOPBACK, LOOPBACK)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000",
        "http://127.10.20.30",
        "http://[::1]:9000",
        "http://localhost:9000",
        "http://LOCALHOST",
    ],
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    assert resolve_location("prod", url, url).api_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:8080",
        "http://api.mypurecloud.com",
        "http://localhost.example.com",
        "http://127.0.0.1.example.com",
        "http://[::ffff:10.0.0.1]",
    ],
)
def test_plain_http_is_refused_elsewhere(url: str) -> None:
    with pytest.raises(ArchUsageError, match="only to loopback"):
        resolve_location("prod", url, url)


@pytest.mark.parametrize(
    "url", ["https://proxy.example.com:8443", "https://10.0.0.5/genesys"]
)
def test_https_is_allowed_anywhere(url: str) -> None:
    assert resolve_location("prod", url, url).login_url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://user:hunter2@proxy.example.com",
        "https://hunter2@proxy.example.com",
        "ftp://user:hunter2@127.0.0.1",
        "https://proxy.example.com/?access_token=hunter2",
        "https://proxy.example.com/#hunter2",
    ],
)
def test_overrides_with_credentials_or_a_query_are_refused(url: str) -> None:
    with pytest.raises(ArchUsageError, match="credentials, a query") as caught:
        resolve_location("prod", url, None)

    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1", "127.0.0.1:8000", "https://", "http://127.0.0.1:port"]
)
def test_overrides_that_are_not_http_urls_are_refused(url: str) -> None:
    with pytest.raises(ArchUsageError):
        resolve_location("prod", url, url)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_missing_location_asks_for_one(name: str) -> None:
    with pytest.raises(ArchUsageError, match="No location was given") as caught:
        resolve_location(name)

    assert "prod_eu_west_1" in str(caught.value)
