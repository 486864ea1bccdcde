"""jianfu-audit: flag formalist burdens that notices place on grassroots units."""

__version__ = "0.1.0"
