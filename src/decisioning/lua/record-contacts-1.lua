--[[
  Records impressions and rejections in one customer's packed contact history, re-checking every
  contact rule at write time, so concurrent decisions for one customer can never exceed a cap.
  Mirrors checkContact in src/decisioning/contact-history.ts; both pass one contract suite.

  KEYS[1]  contact string ({customerId}:contact), lines separated by "\n":
             "i <ts> <actionId> <businessUnit> <channel>"   an impression
             "r <ts> <actionId>"                            the latest rejection of an action
  ARGV[1]  now (ms): the time of the new impressions
  ARGV[2]  retention (ms): entries at or before now - retention are dropped
  ARGV[3]  ttl (ms) of the key after a write (retention plus a margin)
  ARGV[4]  number of caps k, then per cap: scope ("c" customer | "h" channel | "u" business unit),
           scope value ("" for "c"), max, window (ms)
  then     number of impressions n, then per impression: actionId, businessUnit, channel,
           cool-down (ms), suppression (ms)
  then     number of rejections m, then per rejection: actionId, ts (ms); an older ts than the one
           kept changes nothing
  Output   array of n strings in input order: "" recorded, "s" suppressed, "d" in cool-down, or the
           1-based index (as text) of the first cap that is full. Impressions are judged in order,
           each against the history including the ones recorded before it.
]]
local key = KEYS[1]
local nowText = ARGV[1]
local now = tonumber(nowText)
local oldest = now - tonumber(ARGV[2])
local ttl = ARGV[3]
local i = 4

local caps = {}
local k = tonumber(ARGV[i])
i = i + 1
for c = 1, k do
  caps[c] = { ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), now - tonumber(ARGV[i + 3]) }
  i = i + 4
end
local n = tonumber(ARGV[i])
local firstImpression = i + 1
i = firstImpression + 5 * n

-- impressions: { ts, actionId, unit, channel, tsText }; rejections: actionId -> { ts, tsText }
local imps, rejs, rejOrder = {}, {}, {}
local changed = false
local raw = redis.call('GET', key)
if raw then
  for line in string.gmatch(raw, '[^\n]+') do
    if string.sub(line, 1, 1) == 'i' then
      local tsText, a, u, h = string.match(line, '^i (%d+) (%S+) (%S+) (%S+)$')
      local ts = tonumber(tsText)
      if ts > oldest then imps[#imps + 1] = { ts, a, u, h, tsText } else changed = true end
    else
      local tsText, a = string.match(line, '^r (%d+) (%S+)$')
      local ts = tonumber(tsText)
      if ts > oldest then
        rejs[a] = { ts, tsText }
        rejOrder[#rejOrder + 1] = a
      else
        changed = true
      end
    end
  end
end

local m = tonumber(ARGV[i])
i = i + 1
for _ = 1, m do
  local a, tsText = ARGV[i], ARGV[i + 1]
  local ts = tonumber(tsText)
  i = i + 2
  if ts > oldest then
    local cur = rejs[a]
    if cur == nil then rejOrder[#rejOrder + 1] = a end
    if cur == nil or ts > cur[1] then
      rejs[a] = { ts, tsText }
      changed = true
    end
  end
end

local out = {}
i = firstImpression
for j = 1, n do
  local a, u, h = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local cooldown, suppression = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  i = i + 5
  local verdict = ''
  local rej = rejs[a]
  if rej and now - rej[1] < suppression then verdict = 's' end
  if verdict == '' and cooldown > 0 then
    for _, e in ipairs(imps) do
      if e[2] == a and now - e[1] < cooldown then
        verdict = 'd'
        break
      end
    end
  end
  if verdict == '' then
    for c = 1, k do
      local kind, value, max, since = caps[c][1], caps[c][2], caps[c][3], caps[c][4]
      if kind == 'c' or (kind == 'h' and value == h) or (kind == 'u' and value == u) then
        local count = 0
        for _, e in ipairs(imps) do
          if e[1] > since and (kind == 'c' or (kind == 'h' and e[4] == h) or (kind == 'u' and e[3] == u)) then
            count = count + 1
          end
        end
        if count >= max then
          verdict = tostring(c)
          break
        end
      end
    end
  end
  if verdict == '' then
    imps[#imps + 1] = { now, a, u, h, nowText }
    changed = true
  end
  out[j] = verdict
end

if changed then
  local lines = {}
  for _, e in ipairs(imps) do lines[#lines + 1] = 'i ' .. e[5] .. ' ' .. e[2] .. ' ' .. e[3] .. ' ' .. e[4] end
  for _, a in ipairs(rejOrder) do
    local r = rejs[a]
    if r then lines[#lines + 1] = 'r ' .. r[2] .. ' ' .. a end
  end
  if #lines == 0 then
    redis.call('DEL', key)
  else
    redis.call('SET', key, table.concat(lines, '\n'), 'PX', ttl)
  end
end
return out
