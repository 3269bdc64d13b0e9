"""The demo catalog: its generator and the loader behind ``make run``."""
