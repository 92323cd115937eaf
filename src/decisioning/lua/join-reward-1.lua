--[[
  Joins a reward posted by a client to its decision: the first reward per (decision, action) wins.

  KEYS[1]  decision hash ({d:decisionId}): rec, dl, dr, a:<actionId> ("" until rewarded)
  ARGV[1]  action id
  ARGV[2]  now (ms)
  ARGV[3]  the reward as compact JSON: {"r":reward,"o":outcome,"s":"api","t":now}
  Output   {1, stored, rec}  joined: `stored` is ARGV[3]
           {0, stored, rec}  duplicate: an API reward for this action joined before; `stored` is it
           {-1}              unknown decision (never logged, or expired)
           {-2, rec}         the action was not served in this decision
           {-3, deadline}    the window closed (now > deadline, or the default reward applied)
]]
local h = KEYS[1]
local dl = redis.call('HGET', h, 'dl')
if not dl then return { -1 } end
local field = 'a:' .. ARGV[1]
local cur = redis.call('HGET', h, field)
if not cur then return { -2, redis.call('HGET', h, 'rec') } end
local isDefault = cur ~= '' and string.find(cur, '"s":"default"', 1, true) ~= nil
if cur ~= '' and not isDefault then return { 0, cur, redis.call('HGET', h, 'rec') } end
if isDefault or tonumber(ARGV[2]) > tonumber(dl) then return { -3, dl } end
redis.call('HSET', h, field, ARGV[3])
return { 1, ARGV[3], redis.call('HGET', h, 'rec') }
