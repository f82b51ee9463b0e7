"""The pure core: plain functions over plain data (no Discord, no SQL, no clock reads)."""
