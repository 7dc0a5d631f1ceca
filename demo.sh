#!/usr/bin/env bash
# Runs the demo: the sample shop on an embedded H2 database, with the bizmetrics agent and config/bizmetrics.properties.
#   ./demo.sh                                   # H2 in memory, 5 orders per second
#   ./demo.sh --rate 20                         # any option of the sample shop is passed on
#   ./demo.sh --jdbc-url jdbc:postgresql://127.0.0.1:5432/test --user postgres
#   BIZMETRICS_HTTP_PORT=30314 ./demo.sh        # when 30313 is taken
set -euo pipefail
cd "$(dirname "$0")"
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "demo.sh needs $tool (a JDK 17+ and Maven) on the PATH" >&2; exit 1; }
done
agent=agent/target/bizmetrics-agent.jar
shop=sample-app/target/sample-app.jar
# Build on the first run, and again when a source file is newer than the jars.
if [[ ! -f $agent || ! -f $shop || -n "$(find agent/src sample-app/src pom.xml agent/pom.xml sample-app/pom.xml \
      -newer "$agent" -print -quit 2>/dev/null)" ]]; then
  echo "Building the agent and the sample shop (mvn -B -q -DskipTests package)..."
  mvn -B -q -DskipTests package
fi
port=${BIZMETRICS_HTTP_PORT:-$(sed -n 's/^http\.port=\([0-9]*\).*/\1/p' config/bizmetrics.properties)}
port=${port:-30313}
cat <<EOF
Starting the sample shop with the agent. Look at:
  http://localhost:${port}/          the agent's status page: DataSources found, each query and its last run
  http://localhost:${port}/metrics   the business metrics (shop_*) and the agent's own (bizmetrics_*)
With Prometheus installed: prometheus --config.file=config/prometheus.yml --storage.tsdb.path=\$(mktemp -d)
  then http://localhost:9090/alerts; config/grafana-dashboard.json imports into Grafana.
Stop with Ctrl+C.
EOF
exec java -javaagent:"$agent"=config/bizmetrics.properties -jar "$shop" "$@"
