-- wrk script for GET /healthz: prints the same one-line summary as checkin.lua.
function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p99 %.2f ms  %.0f req/s  errors(non-2xx) %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status))
end
