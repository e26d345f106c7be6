-- wrk script of bench/load.sh: the requests of one case, and one RESULT line when wrk is done.
--
--   wrk -s bench/load.lua http://127.0.0.1:PORT -- MODE TOKEN ORGANIZATION TAG
--
-- MODE:
--   get   GET /api/organizations/{ORGANIZATION}/roles/ and nothing else.
--   post  POST a role to that list, then DELETE it (the id its 201 carries), in turn: the store
--         ends each run as it began, give or take a role per connection, so every request of a
--         run finds the same store. Names are `TAG-<thread>-<n>`, unique within a run.
--   mix   post's pairs with a GET of the list between them (the soak).
-- Latency and requests per second are wrk's, over every request of the run (in post, the creates
-- and deletes together). In post and mix each answer's status is counted; in get wrk counts only
-- statuses above 399 (there is no response() to count them, so wrk does not parse bodies).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

function init(args)
  mode, tag = args[1], args[4]
  list = "/api/organizations/" .. args[3] .. "/roles/"
  auth = { ["Authorization"] = "Bearer " .. args[2] }
  json = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  get_list = wrk.format("GET", list, auth)
  n = 0
  created = {}
  statuses = {}
  if mode == "get" then
    response = nil
  elseif mode ~= "post" and mode ~= "mix" then
    error("unknown mode " .. tostring(mode))
  end
end

function request()
  if mode == "get" then
    return get_list
  end
  local id = table.remove(created)
  if id then
    return wrk.format("DELETE", list .. id .. "/", auth)
  end
  n = n + 1
  if mode == "mix" and n % 2 == 0 then
    return get_list
  end
  return wrk.format("POST", list, json, '{"name":"' .. tag .. "-" .. thread_no .. "-" .. n .. '"}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    -- The role's own id is the only `"id"` with a string value (its creator's is a number).
    local id = string.match(body, '"id":"([0-9a-f-]+)"')
    if id then
      table.insert(created, id)
    end
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local seen = {}
  for status, count in pairs(counts) do
    table.insert(seen, status .. ":" .. count)
  end
  table.sort(seen)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d max_us=%d socket_errors=%d status_errors=%d timeouts=%d statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.status, e.timeout, table.concat(seen, ",")))
end
