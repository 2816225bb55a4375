-- framelog.lua — per-frame timings: the whole frame, and the library's share of it (session_poll
-- with copying the events out, handing them to the chat, session_send). Written as CSV at exit.
local FrameLog = {}
FrameLog.__index = FrameLog

function FrameLog.new() return setmetatable({ rows = {}, current = nil }, FrameLog) end

function FrameLog:begin_frame(t, frame_ms)
    self.current = { t = t, frame_ms = frame_ms, poll_ms = 0, dispatch_ms = 0, send_ms = 0, events = 0, messages = 0, sends = 0 }
    self.rows[#self.rows + 1] = self.current
end

-- Adds the time spent in fn (a library call) to column `what` of this frame; returns fn's results.
function FrameLog:time(what, fn, ...)
    local t0 = love.timer.getTime()
    local a, b = fn(...)
    self.current[what] = self.current[what] + (love.timer.getTime() - t0) * 1000
    return a, b
end

function FrameLog:write(path)
    local f = assert(io.open(path, "w"))
    f:write("frame,t_s,frame_ms,poll_ms,dispatch_ms,send_ms,lib_ms,events,messages,sends\n")
    for i, r in ipairs(self.rows) do
        f:write(string.format("%d,%.4f,%.3f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d\n", i, r.t, r.frame_ms, r.poll_ms,
            r.dispatch_ms, r.send_ms, r.poll_ms + r.dispatch_ms + r.send_ms, r.events, r.messages, r.sends))
    end
    f:close()
end

return FrameLog
