"""The evening alert: scheduling in each channel's zone, the delivery log, fan-out."""
