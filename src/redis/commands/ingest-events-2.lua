--[[
  Applies a batch of one customer's events to their feature hash, idempotently.

  KEYS[1]  feature hash      ({customerId}:f)
  KEYS[2]  seen-event zset   ({customerId}:ev), event id -> event time (ms)
  ARGV[1]  ttl seconds for both keys
  ARGV[2]  horizon start (ms): buckets ending at or before it, and seen ids older than it, are pruned
  ARGV[3]  this week's index (ms / 604800000): pruning runs at most once a week per customer
  ARGV[4]  number of events n, then per event:
             eventId, timestamp (ms), number of updates u, then per update:
               op ("c" integer add | "a" float add | "m" max | "o" bit-or | "l" latest), field, value
  Output   array of n integers: 1 accepted, 0 duplicate (seen before, in this batch or earlier)

  Field rules mirror src/features/customer-state.ts#applyUpdates:
    bucket fields "<seriesId>|<tier>|<index>" hold numbers;
    latest fields "L|<seriesId>" hold "<ts>|<eventId>|<value>", replaced only by a newer (ts, eventId);
    "_t" holds the latest event time; "_g" the week index of the last prune.
]]
local hash, seen = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local week = ARGV[3]
local n = tonumber(ARGV[4])
local out = {}
local i = 5
local wrote = false
local newest = nil

for e = 1, n do
  local eventId, tsText, u = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local ts = tonumber(tsText)
  i = i + 3
  if redis.call('ZADD', seen, 'NX', ts, eventId) == 1 then
    out[e] = 1
    wrote = true
    for _ = 1, u do
      local op, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
      if op == 'c' then
        redis.call('HINCRBY', hash, field, value)
      elseif op == 'a' then
        redis.call('HINCRBYFLOAT', hash, field, value)
      elseif op == 'm' then
        local cur = redis.call('HGET', hash, field)
        if not cur or tonumber(value) > tonumber(cur) then redis.call('HSET', hash, field, value) end
      elseif op == 'o' then
        local cur = tonumber(redis.call('HGET', hash, field) or '0')
        redis.call('HSET', hash, field, bit.bor(cur, tonumber(value)))
      else
        local cur = redis.call('HGET', hash, field)
        local newer = true
        if cur then
          local sep = string.find(cur, '|', 1, true)
          local curTs = tonumber(string.sub(cur, 1, sep - 1))
          local rest = string.sub(cur, sep + 1)
          local curId = string.sub(rest, 1, string.find(rest, '|', 1, true) - 1)
          newer = ts > curTs or (ts == curTs and eventId > curId)
        end
        if newer then redis.call('HSET', hash, field, tsText .. '|' .. eventId .. '|' .. value) end
      end
      i = i + 3
    end
    if not newest or ts > tonumber(newest) then newest = tsText end
  else
    out[e] = 0
    i = i + 3 * u
  end
end

if wrote then
  local lastTs = tonumber(redis.call('HGET', hash, '_t') or '-1')
  if tonumber(newest) > lastTs then redis.call('HSET', hash, '_t', newest) end
  if redis.call('HGET', hash, '_g') ~= week then
    local widths = { m = 300000, h = 3600000, d = 86400000 }
    local fields = redis.call('HKEYS', hash)
    for _, f in ipairs(fields) do
      local tier, index = string.match(f, '|(%a)|(%-?%d+)$')
      if tier then
        if (tonumber(index) + 1) * widths[tier] <= horizon then redis.call('HDEL', hash, f) end
      elseif string.sub(f, 1, 2) == 'L|' then
        local v = redis.call('HGET', hash, f)
        if tonumber(string.sub(v, 1, string.find(v, '|', 1, true) - 1)) < horizon then redis.call('HDEL', hash, f) end
      end
    end
    redis.call('ZREMRANGEBYSCORE', seen, '-inf', '(' .. horizon)
    redis.call('HSET', hash, '_g', week)
  end
  redis.call('EXPIRE', hash, ttl)
  redis.call('EXPIRE', seen, ttl)
end
return out
