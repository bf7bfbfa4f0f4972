"""Configuration from ``SOLGRAPH_*`` environment variables, checked before anything starts."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.domain.errors import InvalidData, Problem

STORES = ("memory", "neo4j")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
WEAK_PASSWORDS = frozenset({"", "neo4j", "password", "changeme", "secret"})


class Settings(BaseSettings):
    """Every setting, with the environment variable ``SOLGRAPH_<NAME>`` that sets it."""

    model_config = SettingsConfigDict(env_prefix="SOLGRAPH_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    store: str = "memory"
    data_dir: Path = Path("data")
    kept_records: int = Field(
        default=200_000,
        ge=0,
        le=100_000_000,
        description="Records of each kind the embedded store keeps in memory as models once "
        "read (about 3 KB each); the others are read from disk when asked for.",
    )
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    neo4j_timeout: float = Field(default=5.0, gt=0, le=120)
    embed_origins: str = Field(
        default="",
        description="Space- or comma-separated origins allowed to embed maps in an <iframe>.",
    )
    map_max_organizations: int = Field(default=500, ge=10, le=5000)
    public_read: bool = Field(
        default=True, description="Whether reads need no API key; writes always need one."
    )
    max_upload_bytes: int = Field(default=20_000_000, ge=1_000, le=2_000_000_000)
    max_body_bytes: int = Field(
        default=1_000_000, ge=1_000, le=2_000_000_000, description="Largest JSON request body."
    )
    write_rate: int = Field(
        default=600, ge=1, le=1_000_000, description="Writes a minute per API key."
    )
    write_burst: int = Field(
        default=120, ge=1, le=1_000_000, description="Writes a key may make at once."
    )
    session_hours: float = Field(
        default=8,
        gt=0,
        le=720,
        description="How long a browser session lasts from sign-in, in hours (at most 30 days).",
    )
    cors_origins: str = Field(
        default="",
        description="Space- or comma-separated origins whose pages may call the API (CORS).",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="Seconds a client has to send a request's headers, from the connection's "
        "opening or the request's first byte; past it the connection is closed.",
    )
    body_timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="Seconds a client has to send a whole request body, from the end of its "
        "headers; past it the request answers 408 and the connection is closed.",
    )
    max_connections: int = Field(
        default=200,
        ge=1,
        le=100_000,
        description="Open connections one server process holds; a connection past it gets "
        "one 503 answer and is closed.",
    )
    anonymous_rate: int = Field(
        default=30,
        ge=1,
        le=1_000_000,
        description="Expensive requests a minute per client address without an API key.",
    )
    anonymous_burst: int = Field(
        default=10, ge=1, le=1_000_000, description="Expensive anonymous requests at once."
    )
    heavy_workers: int = Field(
        default=1, ge=1, le=64, description="Expensive requests served at once per process."
    )
    heavy_queue: int = Field(
        default=8, ge=0, le=10_000, description="Expensive requests that may wait for a slot."
    )
    analysis_seconds: float = Field(
        default=20, gt=0, le=3600, description="Time budget of one expensive request."
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses or networks of proxies whose X-Forwarded-For is believed.",
    )
    snapshot_years: int = Field(
        default=4, ge=1, le=200, description="Past years whose whole-graph snapshot is kept."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        networks(value)
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        """The networks of ``SOLGRAPH_TRUSTED_PROXIES``, in order."""
        return networks(self.trusted_proxies)

    @field_validator("embed_origins", "cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in value.replace(",", " ").split():
            if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?", origin):
                raise ValueError(
                    f"'{origin}' is not an origin; allowed: scheme://host[:port], "
                    "such as https://example.org"
                )
        return value

    @property
    def embed_origin_list(self) -> list[str]:
        """The origins of ``SOLGRAPH_EMBED_ORIGINS``, in order."""
        return self.embed_origins.replace(",", " ").split()

    @property
    def cors_origin_list(self) -> list[str]:
        """The origins of ``SOLGRAPH_CORS_ORIGINS``, in order."""
        return self.cors_origins.replace(",", " ").split()

    @field_validator("neo4j_uri")
    @classmethod
    def _no_credentials_in_uri(cls, value: str) -> str:
        # The URI is named in errors and in `solgraph info`; a password inside it would leak.
        if "@" in urlsplit(value).netloc:
            raise ValueError(
                "must not carry a user or password (user:password@host); "
                "set SOLGRAPH_NEO4J_USER and SOLGRAPH_NEO4J_PASSWORD instead"
            )
        return value

    @field_validator("store")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value not in STORES:
            raise ValueError(f"unknown store '{value}'; valid: {', '.join(STORES)}")
        return value

    @model_validator(mode="after")
    def _no_default_secrets(self) -> Settings:
        password = self.neo4j_password.get_secret_value()
        remote = self.store == "neo4j" and self.environment != "development"
        if remote and password in WEAK_PASSWORDS:
            raise ValueError(
                "SOLGRAPH_NEO4J_PASSWORD must be set to a real password outside development"
            )
        return self


def networks(text: str) -> tuple[Network, ...]:
    """The addresses or networks (``10.0.0.1``, ``10.0.0.0/8``) of a space- or comma-separated
    list; a ``ValueError`` names one that is not."""
    found = []
    for item in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"'{item}' is not an IP address or network; allowed: such as 10.0.0.1 or 10.0.0.0/8"
            ) from None
    return tuple(found)


def load_settings() -> Settings:
    """Read the settings, turning a bad value into an error that names the variable."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            Problem(
                "settings",
                "SOLGRAPH_" + "_".join(str(p) for p in item["loc"]).upper() if item["loc"] else "",
                item["msg"].removeprefix("Value error, "),
            )
            for item in error.errors()
        ]
        raise InvalidData(problems) from None
