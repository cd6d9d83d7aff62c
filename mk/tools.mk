# Build/test infrastructure self-tests (the TAP runner itself).
SUBSYSTEMS += tools
TAP_TESTS_tools := tests/tools/tap-run-selftest.sh
