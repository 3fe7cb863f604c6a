"""Where and how netintel connects to Neo4j: :class:`Neo4jSettings`, read from the
``NETINTEL_NEO4J_*`` variables (see :mod:`netintel.store.neo4j`), and the rules that keep
credentials safe in transit.

- A plain ``bolt://`` or ``neo4j://`` URI (neither ``+s``/``+ssc`` nor a trusted CA) is
  refused for any host but the loopback unless ``NETINTEL_NEO4J_ALLOW_PLAINTEXT=1``, which
  warns (:meth:`Neo4jSettings.check_transport`).
- User and password written into a URI are taken out of it into the settings, so no
  message, log line or audit entry shows them; :func:`redact_uri` scrubs any text.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from netintel.errors import StoreError

log = logging.getLogger("netintel.store.neo4j")

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Set to ``1`` to send credentials and data unencrypted to a host other than this machine.
ALLOW_PLAINTEXT_ENV = "NETINTEL_NEO4J_ALLOW_PLAINTEXT"
# The user information of a URI, up to its last "@" (a password may hold "/", ":" or "@").
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>\S*)@")


def redact_uri(text: str) -> str:
    """``text`` with the user and password of every URI in it replaced by ``***``.

    >>> redact_uri("cannot reach bolt://neo4j:s3cr/t@db.example.org:7687 (refused)")
    'cannot reach bolt://***@db.example.org:7687 (refused)'
    """
    return _USERINFO.sub(r"\g<scheme>***@", str(text))


def _split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without its user information, and the user and password it held."""
    m = _USERINFO.match(uri)
    if not m:
        return uri, None, None
    user, _, password = m.group("info").partition(":")
    return m.group("scheme") + uri[m.end() :], unquote(user) or None, unquote(password) or None


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DEFAULT_BATCH_SIZE = 10_000


def is_neo4j_uri(location: object) -> bool:
    """True when ``location`` is a Neo4j URI rather than an embedded database path.

    >>> is_neo4j_uri("neo4j+s://db.example.org"), is_neo4j_uri("case.db")
    (True, False)
    """
    return str(location).split("://", 1)[0].lower() in SCHEMES and "://" in str(location)


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect; :meth:`from_env` reads the ``NETINTEL_NEO4J_*`` variables."""

    uri: str
    user: str = "neo4j"
    password: str | None = None
    database: str | None = None
    trusted_ca: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    allow_plaintext: bool = False

    def __post_init__(self) -> None:  # a URI given directly keeps no credentials either
        uri, user, password = _split_userinfo(self.uri)
        if uri != self.uri:
            object.__setattr__(self, "uri", uri)
            object.__setattr__(self, "user", user or self.user)
            object.__setattr__(self, "password", password or self.password)

    def __repr__(self) -> str:  # never print the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    @classmethod
    def from_env(
        cls, uri: str | None = None, env: Mapping[str, str] | None = None
    ) -> Neo4jSettings:
        """Settings from the environment; ``uri`` overrides ``NETINTEL_NEO4J_URI``.

        >>> s = Neo4jSettings.from_env(env={"NETINTEL_NEO4J_URI": "bolt://db:7687",
        ...                                 "NETINTEL_NEO4J_BATCH_SIZE": "500"})
        >>> s.uri, s.batch_size, s.password is None
        ('bolt://db:7687', 500, True)
        >>> s = Neo4jSettings.from_env("bolt+s://analyst:s3cret@db:7687", env={})
        >>> s.uri, s.user, s.password == "s3cret", "s3cret" in repr(s)
        ('bolt+s://db:7687', 'analyst', True, False)
        """
        env = os.environ if env is None else env
        uri = uri or env.get("NETINTEL_NEO4J_URI")
        if not uri:
            raise StoreError(
                "no Neo4j URI: pass --neo4j bolt://host:7687 or set NETINTEL_NEO4J_URI"
            )
        uri, uri_user, uri_password = _split_userinfo(uri)
        if not is_neo4j_uri(uri):
            raise StoreError(f"{uri!r} is not a Neo4j URI; use one of {', '.join(SCHEMES)}://")
        size = env.get("NETINTEL_NEO4J_BATCH_SIZE") or DEFAULT_BATCH_SIZE
        try:
            batch_size = int(size)
            if batch_size < 1:
                raise ValueError
        except ValueError:
            raise StoreError(
                f"NETINTEL_NEO4J_BATCH_SIZE={size!r}: expected a whole number >= 1"
            ) from None
        return cls(
            uri=uri,
            user=uri_user or env.get("NETINTEL_NEO4J_USER") or "neo4j",
            password=uri_password or env.get("NETINTEL_NEO4J_PASSWORD") or None,
            database=env.get("NETINTEL_NEO4J_DATABASE") or None,
            trusted_ca=env.get("NETINTEL_NEO4J_TRUSTED_CA") or None,
            batch_size=batch_size,
            allow_plaintext=env.get(ALLOW_PLAINTEXT_ENV, "").strip().lower()
            in ("1", "true", "yes"),
        )

    def check_transport(self) -> None:
        """Refuse an unencrypted connection to another machine unless allowed (then warn).

        Encrypted are the ``+s`` / ``+ssc`` schemes and ``bolt://`` / ``neo4j://`` with
        ``NETINTEL_NEO4J_TRUSTED_CA``; the loopback is exempt (nothing leaves the machine).

        Raises
        ------
        StoreError
            For ``bolt://`` / ``neo4j://`` to a host other than the loopback, without a trusted
            CA and without ``NETINTEL_NEO4J_ALLOW_PLAINTEXT=1``.

        >>> Neo4jSettings("bolt://localhost:7687").check_transport()
        >>> Neo4jSettings("bolt://db.example.org:7687").check_transport()
        Traceback (most recent call last):
        ...
        netintel.errors.StoreError: refusing to connect to bolt://db.example.org:7687 unencrypted: ...
        """
        scheme = self.uri.split("://", 1)[0].lower()
        if "+" in scheme or self.trusted_ca:
            return
        try:
            host = urlsplit(self.uri).hostname
        except ValueError:
            host = None
        if _is_loopback(host):
            return
        if not self.allow_plaintext:
            raise StoreError(
                f"refusing to connect to {self.uri} unencrypted: the password and the case data "
                f"would cross the network in clear. Use {scheme}+s:// (or {scheme}+ssc:// for a "
                "self-signed certificate), or set NETINTEL_NEO4J_TRUSTED_CA; on a network you "
                f"trust, set {ALLOW_PLAINTEXT_ENV}=1"
            )
        message = (
            f"connecting to {self.uri} unencrypted ({ALLOW_PLAINTEXT_ENV}=1): the password "
            "and the case data cross the network in clear"
        )
        log.warning(message)
        warnings.warn(message, stacklevel=3)

    def driver_config(self) -> dict[str, Any]:
        """Keyword arguments for :func:`neo4j.GraphDatabase.driver` (TLS settings)."""
        import neo4j

        if not self.trusted_ca:
            return {}
        scheme = self.uri.split("://", 1)[0].lower()
        if "+" in scheme:
            raise StoreError(
                f"NETINTEL_NEO4J_TRUSTED_CA cannot be combined with {scheme}://: the +s and "
                "+ssc schemes fix the trust settings; use bolt:// or neo4j:// with the CA file "
                "(the connection is then encrypted and trusts only that CA)"
            )
        if not os.path.isfile(self.trusted_ca):
            raise StoreError(f"NETINTEL_NEO4J_TRUSTED_CA: no file at {self.trusted_ca}")
        return {"encrypted": True, "trusted_certificates": neo4j.TrustCustomCAs(self.trusted_ca)}
