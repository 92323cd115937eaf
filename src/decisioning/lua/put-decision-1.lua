--[[
  Stores one decision for reward joins, unless a decision with that id is already stored (a second
  append must not reset joined rewards).

  KEYS[1]  decision hash ({d:decisionId})
  ARGV[1]  ttl (ms): the reward window plus a margin
  ARGV[2]  the DecisionRecord as JSON
  ARGV[3]  reward deadline (ms)
  ARGV[4]  default reward (a JSON number)
  ARGV[5..] the served (chosen) action ids
  Output   1 stored, 0 already there (unchanged)
]]
local h = KEYS[1]
if redis.call('EXISTS', h) == 1 then return 0 end
local fields = { 'rec', ARGV[2], 'dl', ARGV[3], 'dr', ARGV[4] }
for a = 5, #ARGV do
  fields[#fields + 1] = 'a:' .. ARGV[a]
  fields[#fields + 1] = ''
end
redis.call('HSET', h, unpack(fields))
redis.call('PEXPIRE', h, ARGV[1])
return 1
