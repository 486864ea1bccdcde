"""Allow ``python -m jianfu_audit``."""

from jianfu_audit.cli import main

main()
