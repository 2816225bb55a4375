using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Client.Engine;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// The event queue's acknowledgements: a poll only marks a batch released; the library writes it to
/// the database on its own (a timer the producing thread armed), never the polling thread.
/// </summary>
public class EventQueueTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("session-events-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static SessionEvent Message(string text) =>
        SessionEvent.Create(EventType.Message, conversation: "05ee", messageId: "m-" + text, text: System.Text.Encoding.UTF8.GetBytes(text));

    private static string Text(SessionEvent e) => System.Text.Encoding.UTF8.GetString(e.Text);

    [Test]
    public void A_released_batch_is_deleted_by_the_library_without_another_call_and_a_held_one_stays()
    {
        using (StateStore store = StateStore.Open(_dir))
        {
            var queue = new EventQueue(store, wakeup: null, new CallbackGate(), maxLogEvents: 100);
            foreach (string t in new[] { "one", "two", "three" }) store.AppendEvent(Message(t));
            Assert.That(queue.Poll(1).Select(Text), Is.EqualTo(new[] { "one" }));
            Assert.That(queue.Poll(1).Select(Text), Is.EqualTo(new[] { "two" }), "this poll released \"one\"");

            // No further call on the queue: its timer writes the release (waited for, not timed).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (store.EventsAfter(0, 100).Count > 2 && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.That(store.EventsAfter(0, 100).Select(Text), Is.EqualTo(new[] { "two", "three" }),
                "the released batch is gone; the one the app still holds and the undelivered one stay");
            queue.Close();   // as freeing the client: releases "two" and writes it
        }
        using (StateStore store = StateStore.Open(_dir))
        {
            var queue = new EventQueue(store, wakeup: null, new CallbackGate(), maxLogEvents: 100);
            Assert.That(queue.Poll(10).Select(Text), Is.EqualTo(new[] { "three" }), "after a restart only the undelivered event comes again");
            queue.Close();
        }
    }

    [Test]
    public void Events_that_arrive_after_a_quiet_spell_are_still_written_once_released()
    {
        using StateStore store = StateStore.Open(_dir);
        var queue = new EventQueue(store, wakeup: null, new CallbackGate(), maxLogEvents: 100);
        store.AppendEvent(Message("early"));
        queue.Poll(10);
        queue.Acknowledge();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.EventsAfter(0, 100).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.That(store.EventsAfter(0, 100), Is.Empty);
        Thread.Sleep(100);   // by now the timer has usually stopped (nothing left to acknowledge); either way the next event re-arms it

        store.AppendEvent(Message("late"));   // arms the timer again
        Assert.That(queue.Poll(10).Select(Text), Is.EqualTo(new[] { "late" }));
        queue.Acknowledge();
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.EventsAfter(0, 100).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.That(store.EventsAfter(0, 100), Is.Empty);
        queue.Close();
    }
}
