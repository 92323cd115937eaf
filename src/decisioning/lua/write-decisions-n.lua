--[[
  Writes what the decisions served in one turn of the service's event loop must write before they
  answer, in one call: per decision, its impressions with every contact rule re-checked (as
  record-contacts-1.lua), then, only when every impression was recorded, its log entry (as
  log-decisions-n.lua). A decision with a refused impression is not logged here: its caller logs the
  record it actually served. Decisions are taken in order, so two decisions of one customer in one
  call are judged like two calls.

  KEYS[1]   decision stream ({decisions}:log)
  KEYS[2]   due set ({rewards}:due)
  KEYS[3..] per decision, two keys: its customer's contact string ({customerId}:contact), its hash
            ({d:decisionId})
  ARGV[1]   approximate maximum length of the stream (MAXLEN ~)
  ARGV[2..] per decision: record-contacts-1.lua's ARGV block (no impressions: n = 0), then
            log-decisions-n.lua's block for one decision
  Output    per decision, its impressions' verdicts (record-contacts-1.lua's) joined by ",", then
            "|1" when it was logged and "|0" when it was not

  The keys span several Redis Cluster slots: this script is for a single Redis (as the service
  connects today); a Cluster deployment would send one call per slot.
]]

-- record_contacts, log_decision and log_block_end are contact-lib.lua's and log-lib.lua's, prepended
-- when registered.
local stream, due, maxlen = KEYS[1], KEYS[2], ARGV[1]
local a = 2
local out = {}
for k = 3, #KEYS, 2 do
  local verdicts
  verdicts, a = record_contacts(KEYS[k], ARGV, a)
  local all = true
  for _, v in ipairs(verdicts) do
    if v ~= '' then all = false end
  end
  local logged = '0'
  if all then
    local _
    _, a = log_decision(stream, due, maxlen, KEYS[k + 1], ARGV, a)
    logged = '1'
  else
    a = log_block_end(ARGV, a)
  end
  out[#out + 1] = table.concat(verdicts, ',') .. '|' .. logged
end
return out
