#!/usr/bin/env bash
# One-shot set-up of Pulsar for stockpulse (the pulsar-init service of docker-compose.yml): the namespace's
# retention and backlog policies, the five topics and one dead-letter topic per subscription. Idempotent:
# creating what exists is not an error.
set -euo pipefail
ADMIN="bin/pulsar-admin --admin-url ${PULSAR_ADMIN_URL:-http://pulsar:8080}"
NS=public/default

# acknowledged messages kept 24 h (a consumer added later, or `pnpm tail --from earliest`, can read back)
$ADMIN namespaces set-retention "$NS" --time 24h --size 2G
# an unconsumed backlog is never dropped: a stopped service catches up when it returns
$ADMIN namespaces set-backlog-quota "$NS" --limit 10G --policy producer_request_hold || true

create() { $ADMIN topics create "persistent://$NS/$1" 2>/dev/null || echo "exists: $1"; }
for topic in inventory-events inventory-metrics forecasts anomalies notifications; do
  create "stockpulse.$topic"
done
# dead letters: <topic>.<subscription>.dlq, as the bus adapters name them
for pair in \
  inventory-events:processor inventory-events:anomaly inventory-metrics:forecaster \
  forecasts:anomaly-forecasts forecasts:notifier-forecasts anomalies:notifier \
  inventory-metrics:gateway-stream forecasts:gateway-stream anomalies:gateway-stream notifications:gateway-stream; do
  create "stockpulse.${pair%%:*}.${pair##*:}.dlq"
done
echo "pulsar ready for stockpulse"
