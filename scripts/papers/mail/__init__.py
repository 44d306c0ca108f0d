"""The daily email digest: what it lists (``digest``), its HTML and plain text
(``render``), the MIME message and its headers (``message``), who gets it
(``recipients``), and sending it over SMTP once per recipient and day (``sending``,
``sent_state``).

The build publishes each day's digest as ``YYYY/MM/DD/email.html`` and as the daily
feed's entry (plugins/digest_pages, plugins/paper_feeds); ``scripts/email_digest.py``
sends it, rendered by the same code from the same catalogue.
"""
