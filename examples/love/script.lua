-- script.lua — plays the game for the headless test: types through the game's own input handlers
-- (love.textinput, love.keypressed), one key per frame as a person would, waits for the replies,
-- takes a screenshot, waits for `expect_flood` messages "flood N" (if any; at most 180 s), and
-- quits once all that is done and at least `seconds` passed. Each step returns true when done.
local Script = {}

local function type_text(text)
    local chars = {}
    for _, code in require("utf8").codes(text) do chars[#chars + 1] = require("utf8").char(code) end
    local i = 0
    return function()
        i = i + 1
        if chars[i] then love.textinput(chars[i]); return false end
        return true
    end
end

local function press(key)
    return function() love.keypressed(key, key, false); return true end
end

-- Presses Tab until the conversation `key` is shown (a flood opens tabs of its own).
local function switch_to(chat, key)
    return function()
        if chat:tab().key == key then return true end
        love.keypressed("tab", "tab", false)
        return false
    end
end

-- Waits until done() holds, or `seconds` pass (the test then finds what is missing).
local function wait_until(what, seconds, done)
    local deadline
    return function(now)
        deadline = deadline or now + seconds
        if done() then return true end
        if now > deadline then print("script: gave up waiting for: " .. what); return true end
        return false
    end
end

local function wait_line(chat, line, seconds)
    return wait_until(line, seconds, function()
        for _, l in ipairs(chat.transcript) do if l == line then return true end end
        return false
    end)
end

local function wait_state(chat, state, seconds)
    return wait_until(state, seconds, function() return chat.state == state end)
end

-- Waits until `count` messages "flood N" were shown (counting only the lines new since last time).
local function wait_flood(chat, count, seconds)
    local seen, read = 0, 0
    return wait_until(count .. " flood messages", seconds, function()
        for i = read + 1, #chat.transcript do
            if chat.transcript[i]:match("^in %S+ flood %d+$") then seen = seen + 1 end
        end
        read = #chat.transcript
        return seen >= count
    end)
end

function Script.new(chat, out_dir, seconds, expect_flood)
    local steps = {
        wait_state(chat, "connected", 30),
        type_text("hello bot"), press("return"),
        wait_line(chat, "in bot echo: hello bot", 30),
        switch_to(chat, "lobby"), type_text("hi lobby"), press("return"),
        wait_line(chat, "in bot@lobby bot heard: hi lobby", 30),
        switch_to(chat, "bot"), type_text("h\u{e9}llo w\u{f6}rld \u{20ac}x"), press("backspace"), press("return"),
        wait_line(chat, "in bot echo: h\u{e9}llo w\u{f6}rld \u{20ac}", 30),
        function() -- the screenshot shows the 1:1 conversation with every reply in it
            love.graphics.captureScreenshot(function(image)
                local f = assert(io.open(out_dir .. "/screenshot.png", "wb"))
                f:write(image:encode("png"):getString())
                f:close()
            end)
            return true
        end,
        wait_flood(chat, expect_flood, 180),
    }
    local step, started = 1, nil
    return function(now)
        started = started or now
        while steps[step] and steps[step](now) do step = step + 1 end
        if not steps[step] and now - started >= seconds then
            love.event.quit(0)
        end
    end
end

return Script
