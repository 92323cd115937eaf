--[[
  Publishes a bandit snapshot if it is newer than the stored one.

  KEYS[1] snapshot key   (string: snapshot text)
  KEYS[2] version key    (string: "<counter>-<hash12>")
  ARGV[1] counter of the new snapshot (integer >= 1)
  ARGV[2] version id of the new snapshot
  ARGV[3] snapshot text

  Output: { 1, newVersion } when written;
          { -1, currentVersion } when the stored counter is >= ARGV[1] (nothing written).
]]
local current = redis.call("GET", KEYS[2])
if current then
  local stored = tonumber(string.match(current, "^(%d+)-"))
  if stored and stored >= tonumber(ARGV[1]) then
    return { -1, current }
  end
end
redis.call("SET", KEYS[1], ARGV[3])
redis.call("SET", KEYS[2], ARGV[2])
return { 1, ARGV[2] }
