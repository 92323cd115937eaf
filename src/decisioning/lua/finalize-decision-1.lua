--[[
  Closes a decision whose reward window has passed: every served action without a reward gets the
  default reward. Idempotent: a second call changes nothing and returns the same rewards.

  KEYS[1]  decision hash ({d:decisionId})
  ARGV[1]  now (ms)
  Output   {}                      the decision is gone (expired): nothing to emit
           {0}                     not due (now <= deadline): leave it for a later sweep
           {1, basis, actionId, stored, ...}  every served action with its reward (compact JSON); the
                                   defaults set here are {"r":<dr>,"s":"default","t":now}
]]
local h = KEYS[1]
local all = redis.call('HGETALL', h)
if #all == 0 then return {} end
local f = {}
for j = 1, #all, 2 do f[all[j]] = all[j + 1] end
if tonumber(ARGV[1]) <= tonumber(f['dl']) then return { 0 } end
-- The RewardBasis; a hash stored before the basis existed has the whole record instead.
local out = { 1, f['j'] or f['rec'] }
local default = '{"r":' .. f['dr'] .. ',"s":"default","t":' .. ARGV[1] .. '}'
for j = 1, #all, 2 do
  local field, value = all[j], all[j + 1]
  if string.sub(field, 1, 2) == 'a:' then
    if value == '' then
      value = default
      redis.call('HSET', h, field, value)
    end
    out[#out + 1] = string.sub(field, 3)
    out[#out + 1] = value
  end
end
return out
