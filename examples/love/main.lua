-- main.lua — a small LÖVE game with anonymous Session chat. The library is loaded from the
-- generated header through LuaJIT's FFI (session_ffi.lua); love.update polls it once per frame
-- (session_poll never blocks) and Enter sends (session_send queues and returns at once).
--
-- Settings come from the environment (`make game-demo` / `make game-test` set them):
--   SESSION_SEED_URL, SESSION_COMMUNITY_URL   the network (a LocalNet) and its lobby room
--   GAME_BOT_ID, GAME_BOT_BLINDED_ID          the bot's Session ID and its blinded ID in the lobby
--   GAME_DATA                                  where the player's identity lives (default: save dir)
--   GAME_OUT                                   write transcript.txt, frames.csv, session_id.txt here
--   GAME_SCRIPT=1, GAME_SECONDS=N              play the scripted session for the test, quit after N s
--   GAME_EXPECT_FLOOD=N                        ... and not before N "flood" messages arrived (180 s at most)
local session = require("session_ffi")
local Chat = require("chat")
local Scene = require("scene")
local Overlay = require("overlay")
local FrameLog = require("framelog")

local FRAME_BUDGET_MS = 1000 / 60
local client, chat, scene, frames, script
local out_dir = os.getenv("GAME_OUT")
local last_frame

-- A scripted (test) run has nobody to close LÖVE's error screen: print the error and exit 1.
if os.getenv("GAME_SCRIPT") == "1" then
    function love.errorhandler(message)
        io.stderr:write(debug.traceback("game error: " .. tostring(message), 2), "\n")
        return function() return 1 end
    end
end

local function repo_root()
    return os.getenv("GAME_ROOT") or (love.filesystem.getSource() .. "/../..")
end

function love.load()
    love.keyboard.setKeyRepeat(true)
    session.load(repo_root())
    local data = os.getenv("GAME_DATA") or (love.filesystem.getSaveDirectory() .. "/player")
    client = session.open({ data_dir = data, seed_url = os.getenv("SESSION_SEED_URL"), display_name = "player" })

    local bot, tabs, names = os.getenv("GAME_BOT_ID"), {}, {}
    if bot then
        tabs[#tabs + 1] = { key = "bot", title = "bot (1:1)", to = bot }
        names[bot] = "bot"
    end
    local room_url = os.getenv("SESSION_COMMUNITY_URL")
    if room_url then
        tabs[#tabs + 1] = { key = "lobby", title = "# lobby", to = client:join_community(room_url), room = true }
    end
    if os.getenv("GAME_BOT_BLINDED_ID") then names[os.getenv("GAME_BOT_BLINDED_ID")] = "bot" end
    if #tabs == 0 then tabs[1] = { key = "nobody", title = "(set GAME_BOT_ID)" } end
    chat = Chat.new(tabs, names)
    scene = Scene.new(love.graphics.getWidth() - 430, love.graphics.getHeight())
    frames = FrameLog.new()
    if out_dir then
        local f = assert(io.open(out_dir .. "/session_id.txt", "w"))
        f:write(client.session_id, "\n")
        f:close()
    end
    if os.getenv("GAME_SCRIPT") == "1" then
        script = require("script").new(chat, out_dir or ".", tonumber(os.getenv("GAME_SECONDS") or "20"),
            tonumber(os.getenv("GAME_EXPECT_FLOOD") or "0"))
    end
    print("SESSION_ID=" .. client.session_id)
end

-- Sending: session_send validates, encrypts and queues, then returns; the network work and the
-- REQUEST_DONE event come later. A refusal (full queue, too long) is shown, never waited out.
local function send(text)
    local tab = chat:tab()
    if not tab.to then return end
    local request, refused = frames:time("send_ms", client.send, client, tab.to, text)
    frames.current.sends = frames.current.sends + 1
    chat:sent(tab, text, request, refused)
end

function love.update(dt)
    if script then script(love.timer.getTime()) end
    -- The one poll of this frame: never blocks, at most 64 events (a flood waits for later frames).
    local events = frames:time("poll_ms", client.poll, client, 64)
    frames.current.events = #events
    frames:time("dispatch_ms", function()
        for _, ev in ipairs(events) do
            chat:on_event(ev)
            if ev.kind == "message" then frames.current.messages = frames.current.messages + 1 end
        end
    end)
    scene:update(dt, true)
end

function love.draw()
    scene:draw()
    Overlay.draw(chat, client.session_id, love.graphics.getWidth(), love.graphics.getHeight())
end

function love.textinput(text) chat:type(text) end

function love.keypressed(key)
    if key == "return" or key == "kpenter" then
        local text = chat:take_input()
        if text then send(text) end
    elseif key == "backspace" then chat:backspace()
    elseif key == "tab" then chat:next_tab()
    elseif key == "escape" then love.event.quit(0)
    end
end

function love.quit()
    if out_dir then
        frames:write(out_dir .. "/frames.csv")
        local f = assert(io.open(out_dir .. "/transcript.txt", "w"))
        for _, line in ipairs(chat.transcript) do f:write(line, "\n") end
        f:close()
    end
    client:close() -- may block up to 2 s: only ever at exit
    io.stderr:write("game: client closed\n")
    return false
end

-- LÖVE 11.4's default loop, capped at 60 frames per second so a window without vsync (Xvfb)
-- does not spin: the chat's per-frame cost is measured against this 16.7 ms budget.
function love.run()
    love.load(love.arg.parseGameArguments(arg), arg)
    love.timer.step()
    local next_frame = love.timer.getTime()
    return function()
        local now = love.timer.getTime() -- a frame's row covers its input, update and drawing
        frames:begin_frame(now, last_frame and (now - last_frame) * 1000 or 0)
        last_frame = now
        love.event.pump()
        for name, a, b, c, d, e, f in love.event.poll() do
            if name == "quit" and not love.quit() then return a or 0 end
            love.handlers[name](a, b, c, d, e, f)
        end
        love.update(love.timer.step())
        love.graphics.origin()
        love.graphics.clear(0, 0, 0)
        love.draw()
        love.graphics.present()
        next_frame = next_frame + FRAME_BUDGET_MS / 1000
        now = love.timer.getTime()
        if next_frame > now then love.timer.sleep(next_frame - now) else next_frame = now end
    end
end
