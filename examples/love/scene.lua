-- scene.lua — the "game": a few sprites bouncing around the playfield, and one the player steers
-- with the arrow keys (when the chat's text box is not focused). Nothing here knows about chat.
local Scene = {}
Scene.__index = Scene

function Scene.new(w, h)
    local self = setmetatable({ w = w, h = h, sprites = {} }, Scene)
    local colors = { { 0.95, 0.45, 0.3 }, { 0.35, 0.8, 0.45 }, { 0.4, 0.6, 0.95 }, { 0.95, 0.8, 0.3 }, { 0.8, 0.45, 0.9 } }
    for i, color in ipairs(colors) do
        self.sprites[i] = { x = 60 + i * 90, y = 80 + (i * 97) % (h - 160), vx = 70 + 23 * i, vy = 50 - 31 * i,
                            r = 14 + 3 * i, color = color, spin = 0 }
    end
    self.player = { x = w / 2, y = h / 2, speed = 220 }
    return self
end

function Scene:update(dt, steering)
    for _, s in ipairs(self.sprites) do
        s.x, s.y, s.spin = s.x + s.vx * dt, s.y + s.vy * dt, s.spin + dt * 2
        if s.x < s.r or s.x > self.w - s.r then s.vx = -s.vx; s.x = math.max(s.r, math.min(self.w - s.r, s.x)) end
        if s.y < s.r or s.y > self.h - s.r then s.vy = -s.vy; s.y = math.max(s.r, math.min(self.h - s.r, s.y)) end
    end
    if steering then
        local p, k = self.player, love.keyboard.isDown
        local dx = (k("right") and 1 or 0) - (k("left") and 1 or 0)
        local dy = (k("down") and 1 or 0) - (k("up") and 1 or 0)
        p.x = math.max(12, math.min(self.w - 12, p.x + dx * p.speed * dt))
        p.y = math.max(12, math.min(self.h - 12, p.y + dy * p.speed * dt))
    end
end

function Scene:draw()
    local g = love.graphics
    g.setColor(0.08, 0.1, 0.16)
    g.rectangle("fill", 0, 0, self.w, self.h)
    g.setColor(0.14, 0.17, 0.25)
    for x = 0, self.w, 40 do g.line(x, 0, x, self.h) end
    for y = 0, self.h, 40 do g.line(0, y, self.w, y) end
    for _, s in ipairs(self.sprites) do
        g.push()
        g.translate(s.x, s.y)
        g.rotate(s.spin)
        g.setColor(s.color)
        g.polygon("fill", 0, -s.r, s.r, 0, 0, s.r, -s.r, 0)
        g.pop()
    end
    g.setColor(1, 1, 1)
    g.circle("fill", self.player.x, self.player.y, 12)
    g.setColor(0.1, 0.1, 0.1)
    g.circle("fill", self.player.x + 4, self.player.y - 3, 3)
end

return Scene
