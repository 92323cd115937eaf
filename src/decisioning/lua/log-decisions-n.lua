--[[
  Logs the decisions served in one turn of the service's event loop, each record sent once: per
  decision, its hash for gets and reward joins (unless a decision with that id is stored already: a
  second append must not reset joined rewards), its stream entry, and, when it served an action, its
  due-set member awaiting the default reward.

  KEYS[1]   decision stream ({decisions}:log)
  KEYS[2]   due set ({rewards}:due)
  KEYS[3..] one decision hash ({d:decisionId}) per decision, in ARGV order
  ARGV[1]   approximate maximum length of the stream (MAXLEN ~)
  ARGV[2..] per decision: decision id, ttl (ms), reward deadline (ms), default reward (a JSON number),
            n (the number of served actions), the n served action ids, the DecisionRecord as JSON
  Output    the number of decision hashes stored (a repeated id keeps its first hash)

  The keys span several Redis Cluster slots: this script is for a single Redis (as the service
  connects today); a Cluster deployment would send one call per slot.
]]
local stream, due, maxlen = KEYS[1], KEYS[2], ARGV[1]
local a = 2
local stored = 0
for k = 3, #KEYS do
  local h = KEYS[k]
  local id, ttl, dl, dr = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local n = tonumber(ARGV[a + 4])
  local json = ARGV[a + 5 + n]
  if redis.call('EXISTS', h) == 0 then
    local fields = { 'rec', json, 'dl', dl, 'dr', dr }
    for i = 1, n do
      fields[#fields + 1] = 'a:' .. ARGV[a + 4 + i]
      fields[#fields + 1] = ''
    end
    redis.call('HSET', h, unpack(fields))
    redis.call('PEXPIRE', h, ttl)
    stored = stored + 1
  end
  redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'r', json)
  if n > 0 then redis.call('ZADD', due, dl, id) end
  a = a + 6 + n
end
return stored
