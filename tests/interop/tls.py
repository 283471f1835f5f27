"""A certificate authority made for one test session, and a certificate for
127.0.0.1 signed by it, so every server on loopback speaks HTTPS.

Real servers look `@name@host` handles up over https only (Mastodon, Fedify,
bovine), so discovery is only tested for real when the servers serve TLS.
Each process is told to trust the CA the way its runtime expects:

- fedchapter (httpx and aiohttp) and bovine-herd (aiohttp): `SSL_CERT_FILE`;
- the Fedify peer (Node): `NODE_EXTRA_CA_CERTS`;
- the test process itself: `TestCA.client_context()` for httpx's `verify=`.

Nothing is written outside the session's temporary folder.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"


@dataclass(frozen=True)
class TestCA:
    ca_file: Path     # the CA certificate (PEM): what clients trust
    cert_file: Path   # the server certificate for 127.0.0.1 and localhost, then the CA
    key_file: Path    # its private key (PEM, unencrypted)

    __test__ = False  # not a pytest test class, despite the name

    def client_context(self) -> ssl.SSLContext:
        """An SSL context trusting only the test CA (for httpx `verify=`)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def trust_env(self) -> dict[str, str]:
        """Environment variables that make Python and Node clients trust it."""
        return {"SSL_CERT_FILE": str(self.ca_file), "NODE_EXTRA_CA_CERTS": str(self.ca_file),
                "REQUESTS_CA_BUNDLE": str(self.ca_file)}  # pyld's loader (requests)

    @classmethod
    def create(cls, folder: Path) -> TestCA:
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        # EC P-256: key generation takes milliseconds (RSA 2048 takes ~100 ms
        # per key and Node, OpenSSL and Python all accept ECDSA).
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fedchapter interop test CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            # Clients match 127.0.0.1 against an IP address SAN, never the CN.
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        made = cls(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
        made.ca_file.write_bytes(ca_cert.public_bytes(pem))
        made.cert_file.write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
        made.key_file.write_bytes(key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        made.key_file.chmod(0o600)
        return made
