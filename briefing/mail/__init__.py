"""Deliver a brief by e-mail: the message, the SMTP exchange, the sent ledger and the lock.

``message`` makes the ``EmailMessage`` of a brief, ``smtp`` sends it, ``ledger`` records
whom it reached so that no one gets it twice, ``lock`` keeps two runs apart, and ``runs``
holds ``briefing run`` and ``briefing send`` built from them.
"""

from .runs import Delivery, run_briefing, send_briefing

__all__ = ["Delivery", "run_briefing", "send_briefing"]
