-- overlay.lua — draws the chat over the scene: who you are, the connection, the conversation tabs
-- (1:1 and the lobby room), the last messages with names and times, and the text box.
local Overlay = {}

local PANEL_W, PAD, LINE = 430, 10, 17
local STATE_COLOR = { connected = { 0.3, 0.85, 0.4 }, connecting = { 0.95, 0.75, 0.2 }, disconnected = { 0.9, 0.3, 0.3 } }
local MARK = { sending = "...", stored = "ok" }

local font, small

local function clock(t) return os.date("%H:%M:%S", t) end

local function line_text(m)
    local head = clock(m.time) .. "  " .. (m.out and ("me > " .. m.who) or m.who) .. ": "
    local tail = m.out and ("  [" .. (MARK[m.state] or m.state) .. "]") or ""
    return head .. m.text .. tail
end

-- Draws the newest messages of a conversation that fit between top and bottom, newest last;
-- returns the y below them. `from_top` packs them at the top of the area instead of its bottom.
local function drawn_lines(tab, x, top, bottom, width, alpha, from_top)
    local g, y, shown = love.graphics, bottom, {}
    g.setFont(font)
    for i = #tab.messages, 1, -1 do
        local text = line_text(tab.messages[i])
        local _, lines = font:getWrap(text, width)
        if y - #lines * LINE < top then break end
        y = y - #lines * LINE
        table.insert(shown, 1, { tab.messages[i].out, text, #lines })
    end
    y = from_top and top or y
    for _, l in ipairs(shown) do
        local c = l[1] and { 0.65, 0.85, 1 } or { 1, 0.95, 0.8 }
        g.setColor(c[1], c[2], c[3], alpha)
        g.printf(l[2], x, y, width)
        y = y + l[3] * LINE
    end
    return y
end

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

    -- The other conversations' last lines (dimmed), then the active one filling the panel.
    local top = ty + 46
    for _, other in ipairs(chat.tabs) do
        if other ~= chat:tab() and #other.messages > 0 then
            g.setFont(small)
            g.setColor(0.6, 0.6, 0.65)
            g.print(other.title, x, top)
            top = drawn_lines(other, x, top + 14, top + 14 + 3 * LINE, inner, 0.55, true) + 8
        end
    end
    drawn_lines(chat:tab(), x, top, h - 44, inner, 1, false)

    -- The text box.
    g.setColor(0.15, 0.16, 0.2)
    g.rectangle("fill", x, h - 36, inner, 26, 4, 4)
    g.setColor(1, 1, 1)
    local caret = (love.timer.getTime() % 1 < 0.5) and "|" or ""
    g.print("> " .. chat.input .. caret, x + 6, h - 31)
end

return Overlay
