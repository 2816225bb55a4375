function love.conf(t)
    t.identity = "session-chat-demo"   -- the save directory keeps the player's identity between runs
    t.window.title = "Session chat in LÖVE"
    t.window.width, t.window.height = 1100, 640
    t.window.vsync = 1
    t.modules.audio, t.modules.sound, t.modules.joystick, t.modules.physics, t.modules.video = false, false, false, false, false
end
