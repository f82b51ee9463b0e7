"""Following a live feed of the Games: fetch, check, apply, and tell the channels what changed."""
