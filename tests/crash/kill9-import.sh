#!/usr/bin/env bash
# kill -9 of the server during a 1,000,000-row import, restart, check consistency and idempotent retry.
# The scenario lives in tests/Outdial.Server.Tests/Crash/Kill9ImportTests.cs; CI runs it with 100,000 rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUTDIAL_CRASH_ROWS="${1:-1000000}" dotnet test tests/Outdial.Server.Tests -c Release --filter "FullyQualifiedName~Kill9ImportTests" --logger "console;verbosity=normal"
