#!/usr/bin/env bash
# The ways to start the server shown in docs/how-to/serve-over-http.md (not run by CI as a whole:
# `serve` runs until it is stopped). packages/cli/test/serve.test.ts starts it the same way.
set -euo pipefail
case "${1:-}" in
  local)
    # #region local
    npx feast-ts -C feature_repo serve                      # http://127.0.0.1:6566, logs (JSON lines) on stdout
    # #endregion local
    ;;
  production)
    # #region production
    npx feast-ts -C feature_repo serve --host 0.0.0.0 --port 6566 \
      --workers 2 --metrics --no-access-log                 # 2 processes on one port; Prometheus on :8000 too
    # #endregion production
    ;;
  tls)
    # #region tls
    npx feast-ts -C feature_repo serve --key server.key --cert server.crt   # https://127.0.0.1:6566
    # #endregion tls
    ;;
  *)
    echo "usage: run.sh local|production|tls" >&2
    exit 2
    ;;
esac
