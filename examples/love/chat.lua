-- chat.lua — the chat's state: conversations, their messages, the text box. Pure Lua: the library
-- calls happen in main.lua (once per frame), this file only keeps and edits what is shown.
local utf8 = require("utf8")

local Chat = {}
Chat.__index = Chat

local KEEP = 200 -- messages kept per conversation: the overlay draws the last few, memory stays flat

-- tabs: list of { key = "bot", title = "bot (1:1)", to = SESSION_ID_OR_ROOM_ID }
function Chat.new(tabs, names)
    local self = setmetatable({ tabs = tabs, active = 1, input = "", names = names or {},
                                by_to = {}, by_request = {}, transcript = {}, state = "disconnected" }, Chat)
    for _, tab in ipairs(tabs) do
        tab.messages, tab.unread = {}, 0
        if tab.to then self.by_to[tab.to] = tab end
    end
    return self
end

function Chat:tab() return self.tabs[self.active] end

function Chat:next_tab()
    self.active = self.active % #self.tabs + 1
    self:tab().unread = 0
end

-- A short, stable name for an ID nobody named: its first and last hex digits.
function Chat:name_of(id)
    return self.names[id] or (id:sub(1, 6) .. ".." .. id:sub(-4))
end

local function add(tab, message)
    tab.messages[#tab.messages + 1] = message
    if #tab.messages > KEEP then table.remove(tab.messages, 1) end
end

-- An outgoing message, shown at once; its request id ties it to the REQUEST_DONE that follows.
function Chat:sent(tab, text, request_id, refused)
    local m = { out = true, who = tab.key, text = text, time = os.time(), state = refused and "refused" or "sending" }
    add(tab, m)
    if request_id then self.by_request[request_id] = m end
    self.transcript[#self.transcript + 1] = "out " .. tab.key .. " " .. text
end

-- One event copied out of session_poll.
function Chat:on_event(ev)
    if ev.kind == "connection" then
        self.state = require("session_ffi").CONNECTION[ev.value] or tostring(ev.value)
    elseif ev.kind == "request_done" then
        local m = self.by_request[ev.request_id]
        if m then
            m.state = ev.ok and "stored" or ("failed: " .. ev.error_code)
            self.by_request[ev.request_id] = nil
        end
    elseif ev.kind == "message" then
        local tab = self.by_to[ev.conversation]
        if not tab then -- a new 1:1 conversation: open a tab for it
            tab = { key = self:name_of(ev.conversation), title = self:name_of(ev.conversation), to = ev.conversation, messages = {}, unread = 0 }
            self.tabs[#self.tabs + 1] = tab
            self.by_to[ev.conversation] = tab
        end
        local who = self:name_of(ev.sender)
        if tab.room then who = who .. "@" .. tab.key end
        add(tab, { out = false, who = who, text = ev.text, time = math.floor(ev.timestamp_ms / 1000) })
        if tab ~= self:tab() then tab.unread = tab.unread + 1 end
        self.transcript[#self.transcript + 1] = "in " .. who .. " " .. ev.text
    end
end

-- Text box editing, called from love.textinput / love.keypressed.
function Chat:type(text) self.input = self.input .. text end

function Chat:backspace()
    local last = utf8.offset(self.input, -1)
    if last then self.input = self.input:sub(1, last - 1) end
end

-- Takes the text box's content for sending (nil when empty).
function Chat:take_input()
    local text = self.input
    self.input = ""
    if text:match("^%s*$") then return nil end
    return text
end

return Chat
