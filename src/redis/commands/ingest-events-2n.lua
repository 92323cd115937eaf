--[[
  Applies a batch of events for n customers to their feature hashes, idempotently: one call serves
  many customers so Redis pays the script-call overhead once per chunk, not once per customer.

  KEYS[2c-1]  customer c's feature hash      ({customerId}:f)
  KEYS[2c]    customer c's seen-event zset   ({customerId}:ev), event id -> minus its event time (ms)
  ARGV[1]  ttl (ms) given to both keys when their expiry is refreshed (PEXPIRE: server time)
  ARGV[2]  the writer's now + ttl (ms), kept in `_e`
  ARGV[3]  refresh-before (ms): the expiry is refreshed only when `_e` is below this
  ARGV[4]  minus the horizon start (ms): seen ids scored above it are dropped when a customer is pruned
  ARGV[5]  prune epoch: a customer is pruned on its first write of a new epoch
  ARGV[6]  prune once this many fields were added since the last prune
  ARGV[7]  stale-bucket cutoffs "<seriesId|tier> <index> ...": a bucket at or below its cutoff is
           dropped by a prune; "*<tier> <index>" is the cutoff for series the plan no longer has
  ARGV[7+c] customer c's events, space-separated tokens, each event then its updates:
             "e<eventId> <ts> " then per update "<op><field> <value> ", op one of
             c (integer add) | a (float add) | m (max) | o (bit-or) |
             l (latest: field "L|<seriesId>", value "<ts>|<eventId>|<value>", as stored)
  Output   one string with a '1' (accepted) or '0' (duplicate) per event, customers in KEYS order

  Field rules mirror src/features/customer-state.ts#applyUpdates:
    bucket fields "<seriesId>|<tier>|<index>" hold numbers;
    latest fields "L|<seriesId>" hold "<ts>|<eventId>|<value>", replaced only by a newer (ts, eventId);
    "_t" the latest event time; "_e" the expiry last set (ms); "_g" the epoch of the last prune;
    "_n" the number of fields added since then.
  One customer's accepted updates are combined in Lua first, so each customer costs one ZADD per
  event, one HMGET and one HSET, whatever its number of updates. A value written once is stored as
  the text Node sent; a merged one is handed to HSET as a Lua number, which Redis formats with %.17g,
  so it reads back as exactly the same double.
  Redis keeps the writes of a script that fails. A customer whose turn fails before its HSET (a key of
  the wrong type, a stored value that is not a number) has its events unmarked before the error goes
  on, so no event is ever seen without being counted: a retry of the batch counts the customers
  written before the failure as duplicates and this one's events once. (Checking every customer
  before writing any instead cost ~10% of ingest throughput, `npm run bench:features`.)
]]
local ttl, deadline, refreshBefore = ARGV[1], ARGV[2], tonumber(ARGV[3])
local pastHorizon, epoch, pruneAfter = ARGV[4], ARGV[5], tonumber(ARGV[6])
local cutoffs = nil
local out = {}

-- Byte order, as JavaScript compares ASCII ids; Lua's `<` uses the server locale (strcoll).
local function idAfter(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end

local function isNewer(ts, id, stored)
  local p = string.find(stored, '|', 1, true)
  local storedTs = tonumber(string.sub(stored, 1, p - 1))
  if ts ~= storedTs then return ts > storedTs end
  return idAfter(id, string.sub(stored, p + 1, string.find(stored, '|', p + 1, true) - 1))
end

-- Lua unpacks at most 8000 values, so long argument lists go in slices (`step` must be even for
-- HSET). Returns the replies joined when they are lists (HMGET).
local function callSliced(command, key, args, step)
  if #args <= step then return redis.call(command, key, unpack(args)) end
  local joined = {}
  for i = 1, #args, step do
    local reply = redis.call(command, key, unpack(args, i, math.min(i + step - 1, #args)))
    if type(reply) == 'table' then
      for _, r in ipairs(reply) do joined[#joined + 1] = r end
    end
  end
  return joined
end

local function prune(hash, seen)
  if not cutoffs then
    cutoffs = {}
    for key, index in string.gmatch(ARGV[7], '(%S+) (%S+)') do cutoffs[key] = tonumber(index) end
  end
  local stale = {}
  for _, f in ipairs(redis.call('HKEYS', hash)) do
    local key, index = string.match(f, '^(.+)|(%d+)$')
    local cut = key and (cutoffs[key] or cutoffs['*' .. string.sub(key, -1)])
    if cut and tonumber(index) <= cut then stale[#stale + 1] = f end
  end
  if #stale > 0 then callSliced('HDEL', hash, stale, 4000) end
  redis.call('ZREMRANGEBYSCORE', seen, '(' .. pastHorizon, '+inf')
end

-- One customer's turn up to its HSET, marking each accepted event id in `marked` as it goes.
-- Returns whether the expiry needs a refresh and whether a prune is due (both after the HSET).
local function applyCustomer(hash, seen, spec, marked)
  -- The fields to read: the meta fields, then one slot per distinct updated field with its op and
  -- its accepted value (text until two updates merge). A single event's fields are distinct, so only
  -- a customer with several events needs the field -> slot table.
  local fields, ops, vals, lastTs, lastId, n = { '_t', '_e', '_g', '_n' }, {}, {}, {}, {}, 4
  local slot = string.find(spec, ' e', 1, true) and {} or nil
  local accepted, newest, newestText = false, nil, nil
  local id, ts, tsText
  for kind, a, b in string.gmatch(spec, '(%a)(%S+) (%S+) ') do
    if kind == 'e' then
      id, tsText, ts = a, b, tonumber(b)
      -- Scored by minus the event time: events mostly arrive in time order, and a listpack zset
      -- inserts by scanning from its head, where the lowest score sits.
      accepted = redis.call('ZADD', seen, 'NX', '-' .. tsText, id) == 1
      if accepted then marked[#marked + 1] = id end
      out[#out + 1] = accepted and '1' or '0'
      if accepted and (not newest or ts > newest) then newest, newestText = ts, tsText end
    elseif accepted then
      local i = slot and slot[a]
      if not i then
        n = n + 1
        fields[n], ops[n], vals[n] = a, kind, b
        if slot then slot[a] = n end
        if kind == 'l' then lastTs[n], lastId[n] = ts, id end
      elseif kind == 'c' or kind == 'a' then
        vals[i] = vals[i] + b
      elseif kind == 'm' then
        vals[i] = math.max(tonumber(vals[i]), tonumber(b))
      elseif kind == 'o' then
        vals[i] = bit.bor(vals[i], b)
      elseif ts > lastTs[i] or (ts == lastTs[i] and idAfter(id, lastId[i])) then
        vals[i], lastTs[i], lastId[i] = b, ts, id
      end
    end
  end
  if not newest then return false, false end

  local stored = callSliced('HMGET', hash, fields, 4000)
  local latest = tonumber(stored[1])
  -- Meta fields go first, so a new hash keeps them at the head of its listpack, where HMGET finds them soonest.
  local write, w, created = {}, 0, 0
  if not latest or newest > latest then
    write[w + 1], write[w + 2], w = '_t', newestText, w + 2
  end
  local refresh = not stored[2] or tonumber(stored[2]) < refreshBefore
  if refresh then
    write[w + 1], write[w + 2], w = '_e', deadline, w + 2
  end
  if stored[3] ~= epoch then
    write[w + 1], write[w + 2], w = '_g', epoch, w + 2
  end
  -- `_n`'s value is known after the loop below; its place in `write` is taken now.
  write[w + 1], w = '_n', w + 2
  local pendingAt = w
  for i = 5, n do
    local cur, v, kind = stored[i], vals[i], ops[i]
    if not cur then
      created = created + 1
    elseif kind == 'c' or kind == 'a' then
      v = cur + v
    elseif kind == 'm' then
      v = tonumber(v) > tonumber(cur) and v or nil
    elseif kind == 'o' then
      v = bit.bor(cur, v)
      if v == tonumber(cur) then v = nil end
    elseif latest and lastTs[i] <= latest and not isNewer(lastTs[i], lastId[i], cur) then
      -- (An event after `_t` is newer than every stored latest value, so it skips the parsing.)
      v = nil
    end
    if v then
      write[w + 1], write[w + 2], w = fields[i], v, w + 2
    end
  end
  -- Prune on a new epoch, or once pruneAfter fields were added since the last prune; never a new
  -- hash, which has nothing to drop.
  local pending = (tonumber(stored[4]) or 0) + created
  local due = stored[3] and (stored[3] ~= epoch or pending >= pruneAfter)
  write[pendingAt] = due and 0 or pending
  callSliced('HSET', hash, write, 4000)
  return refresh, due
end

for c = 1, #KEYS / 2 do
  local hash, seen, spec = KEYS[2 * c - 1], KEYS[2 * c], ARGV[7 + c]
  local marked = {}
  local ok, refresh, due = pcall(applyCustomer, hash, seen, spec, marked)
  if not ok then
    -- Nothing of this customer was counted: unmark its events, so a retry counts them.
    if #marked > 0 then callSliced('ZREM', seen, marked, 4000) end
    -- (refresh holds the error: a Redis error table, or a Lua error's text.)
    return redis.error_reply(type(refresh) == 'table' and refresh.err or tostring(refresh))
  end
  -- Past the HSET every event of this customer is counted: a failure from here on loses nothing.
  if refresh then
    redis.call('PEXPIRE', hash, ttl)
    redis.call('PEXPIRE', seen, ttl)
  end
  if due then prune(hash, seen) end
end
return table.concat(out)
