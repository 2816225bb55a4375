-- session_ffi.lua — libsession.so through LuaJIT's FFI, declared by the generated header itself.
-- No binding code: ffi.cdef reads include/session.h; this file only finds the files, copies event
-- strings into Lua (they are valid until the next poll) and turns statuses into Lua errors.
local ffi = require("ffi")

local M = {}

-- The header as ffi.cdef takes it: the C that a C compiler sees, without the preprocessor.
-- 1. `#ifdef __cplusplus ... #endif` blocks are C++ only (`extern "C" {` / `}`): dropped.
-- 2. every other preprocessor line (#include, #define, the include guard, #if _WIN32) is dropped.
-- 3. SESSION_API, the export macro defined by a dropped line, is dropped where it is used: a
--    run-time FFI needs no linkage attribute. (A header bug: see docs/game-engines.md, "Header".)
function M.cdef_source(header_text)
    local c = header_text:gsub("#ifdef __cplusplus\n.-#endif\n", "")
    c = c:gsub("\n[ \t]*#[^\n]*", "\n")
    return (c:gsub("SESSION_API ", ""))
end

local function read_file(path)
    local f = io.open(path, "rb")
    if not f then return nil end
    local text = f:read("*a")
    f:close()
    return text
end

-- Finds the header and the library: $SESSION_HEADER / $SESSION_LIBRARY, else the repo's dist/.
-- A shipped game keeps both beside its executable (see docs/game-engines.md).
local function locate(root)
    local header = os.getenv("SESSION_HEADER") or (root .. "/dist/include/session.h")
    local library = os.getenv("SESSION_LIBRARY") or (root .. "/dist/lib/libsession.so")
    return header, library
end

local lib

-- LuaJIT dlclose()s a library from ffi.load when its handle is collected, at the latest when the
-- Lua state closes as the game quits; the .NET runtime in libsession.so must never be unloaded
-- (its threads would run on in unmapped code: a crash at exit). A second dlopen with RTLD_NODELETE
-- keeps it mapped for the life of the process.
ffi.cdef [[ void* dlopen(const char* file, int mode); ]]
local RTLD_NOW, RTLD_NODELETE = 0x2, 0x1000 -- glibc's values

local function pin(path)
    if ffi.os ~= "Linux" then return end -- (see docs/game-engines.md for the other systems)
    assert(ffi.C.dlopen(path, RTLD_NOW + RTLD_NODELETE) ~= nil, "cannot pin " .. path)
end

-- Loads the library once per process.
function M.load(root)
    if lib then return lib end
    local header, library = locate(root)
    local text = assert(read_file(header), "cannot read the header " .. header)
    ffi.cdef(M.cdef_source(text))
    lib = ffi.load(library)
    pin(library)
    assert(lib.session_abi_major() == 1, "libsession.so has another ABI major than this game was written for")
    M.lib = lib
    return lib
end

local function check(status, what)
    if status ~= 0 then
        error(string.format("%s failed: %s (%s) %s", what, ffi.string(lib.session_status_name(status)),
            ffi.string(lib.session_last_error_code()), ffi.string(lib.session_last_error_message())), 2)
    end
end

local function str(s) return ffi.string(s.data, s.len) end

local Client = {}
Client.__index = Client

-- opts: data_dir, seed_url, display_name. Creates the client and starts networking (returns at once).
function M.open(opts)
    local o = ffi.new("session_options*[1]")
    check(lib.session_options_new(o), "session_options_new")
    local options = o[0]
    local ok, err = pcall(function()
        check(lib.session_options_set_data_dir(options, opts.data_dir), "set_data_dir")
        if opts.seed_url then
            check(lib.session_options_add_seed_url(options, opts.seed_url), "add_seed_url")
            -- LocalNet's certificates are self-signed: accepted only for a seed on this machine.
            if opts.seed_url:match("^https?://127%.") or opts.seed_url:match("^https?://localhost") then
                check(lib.session_options_set_i64(options, "tls.accept_self_signed", 1), "set_i64")
            end
        end
        if opts.display_name then check(lib.session_options_set_display_name(options, opts.display_name), "set_display_name") end
        check(lib.session_options_set_i64(options, "poll.min_interval_ms", 200), "set_i64")
        check(lib.session_options_set_i64(options, "poll.max_interval_ms", 1000), "set_i64")
    end)
    local c = ffi.new("session_client*[1]")
    if ok then ok, err = pcall(check, lib.session_client_new(options, c), "session_client_new") end
    lib.session_options_free(options)
    if not ok then error(err, 2) end
    local self = setmetatable({ handle = c[0], events = ffi.new("const session_event*[?]", 64),
                                count = ffi.new("uint32_t[1]"), request = ffi.new("uint64_t[1]") }, Client)
    local buf = ffi.new("char[67]")
    check(lib.session_client_session_id(self.handle, buf, 67, nil), "session_client_session_id")
    self.session_id = ffi.string(buf)
    check(lib.session_client_start(self.handle), "session_client_start")
    return self
end

-- Joins a community room; returns its conversation id. No network I/O here.
function Client:join_community(url)
    local buf, needed = ffi.new("char[1024]"), ffi.new("size_t[1]")
    check(lib.session_join_community(self.handle, url, buf, 1024, needed), "session_join_community")
    return ffi.string(buf)
end

-- Queues a message (1:1 to a Session ID, or a room post to a room's conversation id); returns
-- the request id, or nil and the reason when the library refused it (full queue, too long...).
function Client:send(to, text)
    local status = lib.session_send(self.handle, to, text, #text, 0, self.request)
    if status ~= 0 then return nil, ffi.string(lib.session_status_name(status)) end
    return tonumber(self.request[0])
end

-- Never blocks: takes up to `max` ready events, copied into Lua tables.
local KIND = { [1] = "request_done", [2] = "connection", [3] = "message" }
function Client:poll(max)
    check(lib.session_poll(self.handle, self.events, math.min(max or 64, 64), self.count), "session_poll")
    local out = {}
    for i = 0, self.count[0] - 1 do
        local ev = self.events[i]
        local kind = KIND[ev.type]
        if kind then -- unknown types (edits, deletions, future ones) are ignored, as the header asks
            out[#out + 1] = { kind = kind, request_id = tonumber(ev.request_id), status = ev.status,
                              ok = ev.status == 0, value = tonumber(ev.value),
                              timestamp_ms = tonumber(ev.timestamp_ms), conversation = str(ev.conversation),
                              sender = str(ev.sender), text = str(ev.text), error_code = str(ev.error_code) }
        end
    end
    return out
end

-- MAY BLOCK up to shutdown.timeout_ms (2 s): call when quitting, never during play.
function Client:close()
    if self.handle ~= nil then lib.session_client_free(self.handle); self.handle = nil end
end

M.CONNECTION = { [0] = "disconnected", [1] = "connecting", [2] = "connected" }

return M
