"""The real-time layer every app publishes through: streams, sequence numbers, catch-up and fan-out.

A package of its own because chat, forums, moderation and notifications all use it. An app declares
its stream kinds (who may subscribe, how an event about hidden content is redacted) and its inbound
frame handlers; services append events inside their transaction and the layer publishes them on commit.
See `hub.py` for how an event reaches each process once and each socket from there.
"""
