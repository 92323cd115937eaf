--[[
  Records impressions and rejections in one customer's packed contact history, re-checking every
  contact rule at write time, so concurrent decisions for one customer can never exceed a cap.
  Mirrors checkContact in src/decisioning/contact-history.ts; both pass one contract suite.

  KEYS[1]  contact string ({customerId}:contact), lines separated by "\n":
             "i <ts> <actionId> <businessUnit> <channel>"   an impression
             "r <ts> <actionId>"                            the latest rejection of an action
  ARGV[1]  now (ms): the time of the new impressions
  ARGV[2]  retention (ms): entries at or before now - retention are dropped
  ARGV[3]  ttl (ms) of the key after a write (retention plus a margin)
  ARGV[4]  number of caps k, then per cap: scope ("c" customer | "h" channel | "u" business unit),
           scope value ("" for "c"), max, window (ms)
  then     number of impressions n, then per impression: actionId, businessUnit, channel,
           cool-down (ms), suppression (ms)
  then     number of rejections m, then per rejection: actionId, ts (ms); an older ts than the one
           kept changes nothing
  Output   array of n strings in input order: "" recorded, "s" suppressed, "d" in cool-down, or the
           1-based index (as text) of the first cap that is full. Impressions are judged in order,
           each against the history including the ones recorded before it.
]]

-- The body is contact-lib.lua, prepended when the script is registered.
return (record_contacts(KEYS[1], ARGV, 1))
