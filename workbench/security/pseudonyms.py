"""Keyed pseudonyms, one key per viewing organisation.

A pseudonym is an HMAC-SHA256 of the value under a key derived from the
deployment's secret and the *viewer's* organisation. So within one
organisation the same name or number always gets the same pseudonym (an
analyst can see that two pseudonymised mentions share a phone, and refer to
``NAME-…`` in a note), while two organisations' pseudonyms of the same value
differ, so partners cannot pool their pseudonymised views to link them
without the owner. Without the secret a pseudonym cannot be reversed or
confirmed by guessing. Rotating the secret changes every pseudonym.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata

PREFIX = {
    "name": "NAME",
    "vnumber": "VNR",
    "phone": "PHONE",
    "imei": "IMEI",
    "document": "DOC",
    "plate": "PLATE",
}


def normalise(value: str) -> str:
    """Case, width and spacing folded, so trivial variants share a pseudonym.

    >>> normalise("  AL-HASSAN,   Mohammed ") == normalise("al-hassan, mohammed")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


class Pseudonymiser:
    """Makes the pseudonyms one organisation's users see.

    >>> p = Pseudonymiser(b"s" * 32, "coa")
    >>> p("name", "Mohammed Al-Hassan") == p("name", "MOHAMMED  al-hassan")
    True
    >>> p("name", "x") != Pseudonymiser(b"s" * 32, "kmar")("name", "x")
    True
    >>> p("phone", "+31612345678")[:6]
    'PHONE-'
    """

    def __init__(self, secret: bytes, organisation: str) -> None:
        self.organisation = organisation
        self._key = hmac.new(
            secret, b"workbench/pseudonym/" + organisation.encode(), hashlib.sha256
        ).digest()

    def __call__(self, kind: str, value: str) -> str:
        message = f"{kind}\x1f{normalise(value)}".encode("utf-8", "surrogatepass")
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return f"{PREFIX[kind]}-{base64.b32encode(digest)[:10].decode('ascii')}"
