#!/usr/bin/env bash
# Calls every endpoint of a running `feast-ts serve` with curl, on the driver example of
# docs/how-to/serve-over-http.md. FEAST_URL names the server (default http://127.0.0.1:6566).
# packages/server/test/docs-examples.test.ts runs this script against a real server.
set -euo pipefail
FEAST_URL="${FEAST_URL:-http://127.0.0.1:6566}"

# #region write
curl -sS -X POST "$FEAST_URL/write-to-online-store" -d '{
  "feature_view_name": "driver_hourly_stats",
  "df": {
    "driver_id": [1001, 1002],
    "conv_rate": [0.5, 0.25],
    "avg_daily_trips": [12, 7],
    "event_timestamp": ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]
  }
}'
# #endregion write
echo

# #region read
curl -sS -X POST "$FEAST_URL/get-online-features" -d '{
  "features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips"],
  "entities": {"driver_id": [1001, 9999]}
}'
# #endregion read
echo

# #region push
curl -sS -X POST "$FEAST_URL/push" -d '{
  "push_source_name": "driver_stats_push",
  "df": {"driver_id": [1001], "conv_rate": [0.75], "avg_daily_trips": [13], "event_timestamp": ["2026-01-01T01:00:00Z"]},
  "to": "online"
}'
# #endregion push
echo

# #region ops
curl -sS -o /dev/null -w '%{http_code}\n' "$FEAST_URL/health"
curl -sS "$FEAST_URL/metrics" | grep '^feast_online_features_request_total'
# #endregion ops
