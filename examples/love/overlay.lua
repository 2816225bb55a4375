-- overlay.lua — draws the chat over the scene: who you are, the connection, the conversation tabs
-- (1:1 and the lobby room), the last messages with names and times, and the text box.
local Overlay = {}

local PANEL_W, PAD, LINE = 430, 10, 17
local STATE_COLOR = { connected = { 0.3, 0.85, 0.4 }, connecting = { 0.95, 0.75, 0.2 }, disconnected = { 0.9, 0.3, 0.3 } }
local MARK = { sending = "...", stored = "ok" }

local font, small

local function clock(t) return os.date("%H:%M:%S", t) end

function Overlay.draw(chat, my_id, w, h)
    local g = love.graphics
    font = font or g.newFont(13)
    small = small or g.newFont(11)
    local x = w - PANEL_W
    g.setColor(0, 0, 0, 0.72)
    g.rectangle("fill", x, 0, PANEL_W, h)
    x = x + PAD
    local inner = PANEL_W - 2 * PAD

    -- Who you are and how the link is.
    g.setFont(small)
    g.setColor(0.7, 0.75, 0.85)
    g.print("Your Session ID", x, PAD)
    g.setColor(1, 1, 1)
    g.printf(my_id, x, PAD + 14, inner)
    local color = STATE_COLOR[chat.state] or { 0.7, 0.7, 0.7 }
    g.setColor(color)
    g.circle("fill", x + 5, PAD + 50, 5)
    g.print(chat.state, x + 16, PAD + 43)

    -- Tabs.
    g.setFont(font)
    local tx, ty = x, PAD + 66
    for i, tab in ipairs(chat.tabs) do
        local label = tab.unread > 0 and (tab.title .. "  " .. tab.unread) or tab.title
        local tw = font:getWidth(label) + 16
        g.setColor(i == chat.active and { 0.25, 0.45, 0.8 } or { 0.2, 0.22, 0.28 })
        g.rectangle("fill", tx, ty, tw, 22, 4, 4)
        g.setColor(1, 1, 1)
        g.print(label, tx + 8, ty + 4)
        tx = tx + tw + 6
    end
    g.setFont(small)
    g.setColor(0.6, 0.6, 0.65)
    g.print("Tab: next conversation   Enter: send", x, ty + 26)

    -- The conversation, newest at the bottom, wrapped to the panel.
    g.setFont(font)
    local top, bottom = ty + 46, h - 44
    local y = bottom
    local tab = chat:tab()
    for i = #tab.messages, 1, -1 do
        local m = tab.messages[i]
        local head = clock(m.time) .. "  " .. (m.out and ("me > " .. m.who) or m.who) .. ": "
        local tail = m.out and ("  [" .. (MARK[m.state] or m.state) .. "]") or ""
        local text = head .. m.text .. tail
        local _, lines = font:getWrap(text, inner)
        y = y - #lines * LINE
        if y < top then break end
        g.setColor(m.out and { 0.65, 0.85, 1 } or { 1, 0.95, 0.8 })
        g.printf(text, x, y, inner)
    end

    -- The text box.
    g.setColor(0.15, 0.16, 0.2)
    g.rectangle("fill", x, h - 36, inner, 26, 4, 4)
    g.setColor(1, 1, 1)
    local caret = (love.timer.getTime() % 1 < 0.5) and "|" or ""
    g.print("> " .. chat.input .. caret, x + 6, h - 31)
end

return Overlay
