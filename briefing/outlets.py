"""Which outlet an article's source names, however it is written.

Pages name their outlet as the site does ("The Associated Press", "USA TODAY",
"hawaiinewsnow.com") and wire datelines as the desk does ("AP"), so counting outlets by
the names as written counts one outlet twice.
"""

from __future__ import annotations

import re

__all__ = ["outlet_key"]

# The outlets most often written both in full and by their initials, by the full name's
# key; each maps to the key of its initials.
_INITIALS = {
    "associatedpress": "ap",
    "agencefrancepresse": "afp",
    "unitedpressinternational": "upi",
    "deutschepresseagentur": "dpa",
    "xinhuanewsagency": "xinhua",
    "thomsonreuters": "reuters",
    "newyorktimes": "nyt",
    "nytimes": "nyt",
    "wallstreetjournal": "wsj",
    "britishbroadcastingcorporation": "bbc",
}
_THE = re.compile(r"^the\s+")
# A site's address as its name: "www.example.co.uk" is "example".
_ADDRESS = re.compile(r"^(?:www\.)?([^\s.]+)(?:\.[a-z]{2,10}){1,2}$")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def outlet_key(name: str) -> str:
    """Return what ``name`` (an article's source) is compared by, one str per outlet:
    'The Associated Press' and 'AP' give 'ap', 'hawaiinewsnow.com' and 'Hawaii News Now'
    give 'hawaiinewsnow'; '' for no name."""
    key = _THE.sub("", name.strip().casefold())
    key = _ADDRESS.sub(r"\1", key)
    key = _NOT_ALPHANUMERIC.sub("", key)
    return _INITIALS.get(key, key)
