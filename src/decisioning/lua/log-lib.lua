--[[
  log_decision(stream, due, maxlen, h, argv, a): logs one decision as log-decisions-n.lua describes,
  so the scripts that log decisions (log-decisions-n.lua, write-decisions-n.lua) share one copy.
  h is the decision's hash key; argv[a..] is its block: decision id, ttl (ms), reward deadline (ms),
  default reward (a JSON number), n, the n served action ids, the DecisionRecord as JSON, and its
  RewardBasis as JSON, or "" when the hash keeps the whole record instead (an idempotency key's: the
  basis is derived from the record, so storing both would only cost memory).
  The stream gets the record; the hash gets the basis (`j`) or the record (`rec`).
  Returns 1 when it stored the hash (0: that id was stored already) and the index after the block.
  log_block_end(argv, a): the index after the block at a, for a script that skips a decision.
]]
local function log_block_end(argv, a)
  return a + 7 + tonumber(argv[a + 4])
end

local function log_decision(stream, due, maxlen, h, argv, a)
  local id, ttl, dl, dr = argv[a], argv[a + 1], argv[a + 2], argv[a + 3]
  local n = tonumber(argv[a + 4])
  local json, basis = argv[a + 5 + n], argv[a + 6 + n]
  local stored = 0
  if redis.call('EXISTS', h) == 0 then
    local fields = { 'j', basis, 'dl', dl, 'dr', dr }
    if basis == '' then
      fields[1], fields[2] = 'rec', json
    end
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
  return stored, log_block_end(argv, a)
end
