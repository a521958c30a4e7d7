"""The Hub: the only way an event reaches a screen.

`LocalHub` fans events out inside one process; `RedisHub` carries them across
processes by Redis pub/sub and fans them out locally the same way.
"""

from signage.realtime.hub import Hub, LocalHub, make_hub

__all__ = ["Hub", "LocalHub", "make_hub"]
