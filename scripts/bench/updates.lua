-- wrk script: location updates, each request for the next (session, trainer) in the list,
-- so no trainer is asked twice within the 5 s rate window while the list lasts.
-- Counts answers by status in each thread and prints them at the end.
local pairs_file = os.getenv("BENCH_PAIRS") or "pairs.txt"
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  items = {}
  for line in io.lines(pairs_file) do
    local session, token = line:match("^(%S+) (%S+)$")
    if session then table.insert(items, {session, token}) end
  end
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  index = id + 1
  counts = {}
end

function request()
  local item = items[index]
  index = index + nthreads
  if index > #items then index = (index - 1) % #items + 1 end
  local body = string.format('{"sessionId":"%s","latitude":12.9716,"longitude":77.5946}', item[1])
  return wrk.format("POST", "/api/v1/admin/location-tracking/journey/updates",
    {["Authorization"] = "Bearer " .. item[2], ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  c201 = counts[201] or 0
  c429 = counts[429] or 0
  cother = 0
  for s, n in pairs(counts) do if s ~= 201 and s ~= 429 then cother = cother + n end end
end

function done(summary, latency, requests)
  local ok, limited, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("c201") or 0)
    limited = limited + (t:get("c429") or 0)
    other = other + (t:get("cother") or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f accepted201=%d accepted_per_s=%.0f rate_limited429=%d other=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, seconds, summary.requests / seconds, ok, ok / seconds, limited, other,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
