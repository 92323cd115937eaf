--[[
  log_decision(stream, due, maxlen, h, argv, a): logs one decision as log-decisions-n.lua describes,
  so the scripts that log decisions (log-decisions-n.lua, write-decisions-n.lua) share one copy.
  h is the decision's hash key; argv[a..] is its block: decision id, ttl (ms), reward deadline (ms),
  default reward (a JSON number), n, the n served action ids, the DecisionRecord as JSON.
  Returns 1 when it stored the hash (0: that id was stored already) and the index after the block.
]]
local function log_decision(stream, due, maxlen, h, argv, a)
  local id, ttl, dl, dr = argv[a], argv[a + 1], argv[a + 2], argv[a + 3]
  local n = tonumber(argv[a + 4])
  local json = argv[a + 5 + n]
  local stored = 0
  if redis.call('EXISTS', h) == 0 then
    local fields = { 'rec', json, 'dl', dl, 'dr', dr }
    for i = 1, n do
      fields[#fields + 1] = 'a:' .. argv[a + 4 + i]
      fields[#fields + 1] = ''
    end
    redis.call('HSET', h, unpack(fields))
    redis.call('PEXPIRE', h, ttl)
    stored = 1
  end
  redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'r', json)
  if n > 0 then redis.call('ZADD', due, dl, id) end
  return stored, a + 6 + n
end
