"""Where members talk: each network's chat rooms and their messages."""
