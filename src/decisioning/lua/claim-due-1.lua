--[[
  Claims decisions whose reward window has closed, for one sweeper: each claimed id is re-scored to
  the end of a lease, so a concurrent sweeper does not see it; if this sweeper dies, the id is due
  again when the lease ends (the emit script's markers keep emission exactly-once).

  KEYS[1]  due sorted set ({rewards}:due), decision id -> reward deadline or lease end (ms)
  ARGV[1]  now (ms): ids scored before it are due
  ARGV[2]  at most this many ids
  ARGV[3]  lease end (ms)
  Output   the claimed decision ids, earliest deadline first
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id) end
return ids
