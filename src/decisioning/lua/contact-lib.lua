--[[
  record_contacts(key, argv, i0): the contact-rule check and write of record-contacts-1.lua as a
  function, so the scripts that record impressions (record-contacts-1.lua, write-decisions-n.lua) share
  one copy. Its argument block starts at argv[i0] and has record-contacts-1.lua's ARGV layout.
  Returns the verdicts (record-contacts-1.lua's Output) and the index just after the block.
]]
local function record_contacts(key, argv, i0)
  local nowText = argv[i0]
  local now = tonumber(nowText)
  local oldest = now - tonumber(argv[i0 + 1])
  local ttl = argv[i0 + 2]
  local i = i0 + 3

  local caps = {}
  local k = tonumber(argv[i])
  i = i + 1
  for c = 1, k do
    caps[c] = { argv[i], argv[i + 1], tonumber(argv[i + 2]), now - tonumber(argv[i + 3]) }
    i = i + 4
  end
  local n = tonumber(argv[i])
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

  local m = tonumber(argv[i])
  i = i + 1
  for _ = 1, m do
    local a, tsText = argv[i], argv[i + 1]
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

  local after = i
  local out = {}
  i = firstImpression
  for j = 1, n do
    local a, u, h = argv[i], argv[i + 1], argv[i + 2]
    local cooldown, suppression = tonumber(argv[i + 3]), tonumber(argv[i + 4])
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
  return out, after
end
