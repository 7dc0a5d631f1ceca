#!/usr/bin/env bash
# Runs the demo: the sample shop on an embedded H2 database, with the bizmetrics agent attached.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f agent/target/bizmetrics-agent.jar || ! -f sample-app/target/sample-app.jar ]]; then
  echo "Building the agent and the sample app (first run only)..."
  mvn -B -q -DskipTests package
fi
port=$(sed -n 's/^http\.port=\([0-9]*\).*/\1/p' config/bizmetrics.properties)
echo "Starting the sample shop with the agent. Look at:"
echo "  http://localhost:${port:-30313}/metrics   the business metrics and the agent's own"
echo "  http://localhost:${port:-30313}/          what the agent serves"
echo "Stop with Ctrl+C."
exec java -javaagent:agent/target/bizmetrics-agent.jar=config/bizmetrics.properties \
  -jar sample-app/target/sample-app.jar "$@"
