--[[
  Joins a reward posted by a client to its decision: the first reward per (decision, action) wins.

  KEYS[1]  decision hash ({d:decisionId}): j (its RewardBasis; `rec`, the whole record, in a hash
           stored before the basis existed), dl, dr, a:<actionId> ("" until rewarded)
  ARGV[1]  action id
  ARGV[2]  now (ms)
  ARGV[3]  the reward as compact JSON: {"r":reward,"o":outcome,"s":"api","t":now}
  Output   {1, stored, basis}  joined: `stored` is ARGV[3]
           {0, stored, basis}  duplicate: an API reward for this action joined before; `stored` is it
           {-1}                unknown decision (never logged, or expired)
           {-2, basis}         the action was not served in this decision
           {-3, deadline}      the window closed (now > deadline, or the default reward applied)
]]
local h = KEYS[1]
local function basis()
  return redis.call('HGET', h, 'j') or redis.call('HGET', h, 'rec')
end
local dl = redis.call('HGET', h, 'dl')
if not dl then return { -1 } end
local field = 'a:' .. ARGV[1]
local cur = redis.call('HGET', h, field)
if not cur then return { -2, basis() } end
local isDefault = cur ~= '' and string.find(cur, '"s":"default"', 1, true) ~= nil
if cur ~= '' and not isDefault then return { 0, cur, basis() } end
if isDefault or tonumber(ARGV[2]) > tonumber(dl) then return { -3, dl } end
redis.call('HSET', h, field, ARGV[3])
return { 1, ARGV[3], basis() }
