--[[
  Emits joined rewards to the learner's stream exactly once per (decision, action), whoever calls
  (the reward API, a retry, or any number of sweepers), and drops finished decisions from the due set.

  KEYS[1]  reward stream ({rewards}:log), field `r` = JoinedReward JSON
  KEYS[2]  due sorted set ({rewards}:due)
  KEYS[3]  sent markers ({rewards}:sent), "decisionId\nactionId" -> when the marker may go (ms)
  ARGV[1]  now (ms): markers scored before it are pruned
  ARGV[2]  approximate maximum length of the stream
  ARGV[3]  number of decision ids to remove from the due set d, then the ids
  then     number of rewards n, then per reward: decisionId, actionId, marker expiry (ms), JSON
  Output   array of n integers in input order: 1 emitted now, 0 emitted before
]]
local stream, due, sent = KEYS[1], KEYS[2], KEYS[3]
redis.call('ZREMRANGEBYSCORE', sent, '-inf', '(' .. ARGV[1])
local i = 3
local d = tonumber(ARGV[i])
for j = 1, d do redis.call('ZREM', due, ARGV[i + j]) end
i = i + d + 1
local n = tonumber(ARGV[i])
i = i + 1
local out = {}
for j = 1, n do
  local member = ARGV[i] .. '\n' .. ARGV[i + 1]
  if redis.call('ZADD', sent, 'NX', ARGV[i + 2], member) == 1 then
    redis.call('XADD', stream, 'MAXLEN', '~', ARGV[2], '*', 'r', ARGV[i + 3])
    out[j] = 1
  else
    out[j] = 0
  end
  i = i + 4
end
return out
