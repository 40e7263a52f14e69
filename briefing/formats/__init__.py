"""One small reader module per input format; ``briefing.load.READERS`` maps suffixes to them.

Every reader has the signature ``reader(path, data) -> tuple[Article, ...]``: it takes the
file's path (for messages and titles) and its bytes (already read within the size limit),
never opens anything else, never fetches, and raises ``InputError`` with a one-line reason
for input it cannot use.  Third-party libraries are imported inside the readers so that
``import briefing`` stays fast.
"""
