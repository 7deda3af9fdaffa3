-- wrk script: single check-ins, each a new (window, person) pair, as the
-- bench admin (an API key with write scope). Reads bench_server_setup's file
-- from the WRK_SCHOOL environment variable.
local threadCount = 0

function setup(thread)
  thread:set("id", threadCount)
  threadCount = threadCount + 1
end

function init(args)
  local file = io.open(os.getenv("WRK_SCHOOL"), "r")
  key = file:read("*l")
  local windowCount = tonumber(file:read("*l"))
  windows = {}
  for i = 1, windowCount do windows[i] = file:read("*l") end
  people = {}
  for line in file:lines() do people[#people + 1] = line end
  file:close()
  counter = 0
  stride = tonumber(os.getenv("WRK_THREADS") or "2")
  offset = tonumber(os.getenv("WRK_OFFSET") or "0")
end

function request()
  local i = offset + counter * stride + id
  counter = counter + 1
  local w = windows[(i % #windows) + 1]
  local p = people[(math.floor(i / #windows) % #people) + 1]
  return wrk.format("POST", "/api/v1/windows/" .. w .. "/check-ins",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" },
    '{"person":"' .. p .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p99 %.2f ms  %.0f req/s  errors(non-2xx) %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status))
end
