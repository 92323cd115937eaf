--[[
  Logs the decisions served in one turn of the service's event loop, each record sent once: per
  decision, its hash for gets and reward joins (unless a decision with that id is stored already: a
  second append must not reset joined rewards), its stream entry, and, when it served an action, its
  due-set member awaiting the default reward.

  KEYS[1]   decision stream ({decisions}:log)
  KEYS[2]   due set ({rewards}:due)
  KEYS[3..] one decision hash ({d:decisionId}) per decision, in ARGV order
  ARGV[1]   approximate maximum length of the stream (MAXLEN ~)
  ARGV[2..] per decision: decision id, ttl (ms), reward deadline (ms), default reward (a JSON number),
            n (the number of served actions), the n served action ids, the DecisionRecord as JSON,
            its RewardBasis as JSON or "" when the hash keeps the record instead (log-lib.lua)
  Output    the number of decision hashes stored (a repeated id keeps its first hash)

  The keys span several Redis Cluster slots: this script is for a single Redis (as the service
  connects today); a Cluster deployment would send one call per slot.
]]

-- log_decision is log-lib.lua, prepended when the script is registered.
local stream, due, maxlen = KEYS[1], KEYS[2], ARGV[1]
local a = 2
local stored = 0
for k = 3, #KEYS do
  local s
  s, a = log_decision(stream, due, maxlen, KEYS[k], ARGV, a)
  stored = stored + s
end
return stored
