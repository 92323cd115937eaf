--[[
  Appends a batch of decision records to the decision stream: one call for every decision served in
  one turn of the service's event loop, instead of one XADD each.

  KEYS[1]  decision stream ({decisions}:log)
  ARGV[1]  approximate maximum length of the stream (MAXLEN ~)
  ARGV[2..] one DecisionRecord as JSON each, in serving order
  Output   the number of records appended
]]
for i = 2, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'r', ARGV[i])
end
return #ARGV - 1
