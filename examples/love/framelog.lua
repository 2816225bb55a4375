-- framelog.lua — per-frame timings: the whole frame, and the library's share of it (session_poll
-- with copying the events out, handing them to the chat, session_send). Written as CSV at exit.
--
-- On a shared machine the scheduler can take the CPU away in the middle of a 20 µs poll, and the
-- wall time then blames the library for someone else's work. So each library call also records
-- (Linux) the thread's CPU time — the library's own work on the game thread — and its context
-- switches: `waits` counts the times the thread went to sleep inside the library (a lock, a GC
-- pause, the disk), `preemptions` the times the scheduler took the CPU away.
local ffi = require("ffi")

ffi.cdef [[
struct framelog_timespec { long tv_sec; long tv_nsec; };
struct framelog_rusage { long utime[2], stime[2], maxrss, ixrss, idrss, isrss, minflt, majflt, nswap,
                         inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw; };
int clock_gettime(int clock, struct framelog_timespec* ts);
int getrusage(int who, struct framelog_rusage* usage);
]]
local CLOCK_THREAD_CPUTIME_ID, RUSAGE_THREAD = 3, 1
local ts, ru = ffi.new("struct framelog_timespec"), ffi.new("struct framelog_rusage")
local linux = ffi.os == "Linux"

local function thread_cpu_ms()
    ffi.C.clock_gettime(CLOCK_THREAD_CPUTIME_ID, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function switches()
    ffi.C.getrusage(RUSAGE_THREAD, ru)
    return tonumber(ru.nvcsw), tonumber(ru.nivcsw)
end

local FrameLog = {}
FrameLog.__index = FrameLog

function FrameLog.new() return setmetatable({ rows = {}, current = nil }, FrameLog) end

function FrameLog:begin_frame(t, frame_ms)
    self.current = { t = t, frame_ms = frame_ms, poll_ms = 0, dispatch_ms = 0, send_ms = 0, cpu_ms = 0,
                     waits = 0, preemptions = 0, events = 0, messages = 0, sends = 0 }
    self.rows[#self.rows + 1] = self.current
end

-- Adds the time spent in fn (a library call) to column `what` of this frame; returns fn's results.
function FrameLog:time(what, fn, ...)
    local row = self.current
    if not linux then
        local t0 = love.timer.getTime()
        local a, b = fn(...)
        local ms = (love.timer.getTime() - t0) * 1000
        row[what], row.cpu_ms = row[what] + ms, row.cpu_ms + ms -- (no thread clock: wall time)
        return a, b
    end
    local v0, i0 = switches()
    local c0, t0 = thread_cpu_ms(), love.timer.getTime()
    local a, b = fn(...)
    local wall, cpu = (love.timer.getTime() - t0) * 1000, thread_cpu_ms() - c0
    -- A thread cannot run longer than the time that passed; on this overloaded virtual machine
    -- the thread clock was seen to jump (100 ms of CPU in a 0.02 ms call).
    cpu = math.min(cpu, wall)
    local v1, i1 = switches()
    local waited, preempted = v1 - v0, i1 - i0
    row[what], row.cpu_ms = row[what] + wall, row.cpu_ms + cpu
    row.waits, row.preemptions = row.waits + waited, row.preemptions + preempted
    return a, b
end

function FrameLog:write(path)
    local f = assert(io.open(path, "w"))
    f:write("frame,t_s,frame_ms,poll_ms,dispatch_ms,send_ms,lib_ms,lib_cpu_ms,waits,preemptions,events,messages,sends\n")
    for i, r in ipairs(self.rows) do
        f:write(string.format("%d,%.4f,%.3f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%d,%d\n", i, r.t, r.frame_ms,
            r.poll_ms, r.dispatch_ms, r.send_ms, r.poll_ms + r.dispatch_ms + r.send_ms, r.cpu_ms,
            r.waits, r.preemptions, r.events, r.messages, r.sends))
    end
    f:close()
end

return FrameLog
