"""Fault-injection suite for sync-server and member-cli (issue 6); entry point: scripts/faults."""
