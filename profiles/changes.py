"""What profiles tell the apps above them when a member's profile changes: signals they connect to in
`AppConfig.ready()`, since profiles may not import them.

`public_region_changed` (sent with `user`, inside the saving transaction): the region that everyone may
read on the member's profile is not what it was (`profiles.permissions.public_region`), so that an app
that copied it somewhere public, say into the stored events of a stream visitors replay, can bring the
copy up to date.
"""

from django.dispatch import Signal

public_region_changed = Signal()
