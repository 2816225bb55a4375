using Microsoft.Extensions.Logging;
using SessionInterop.Client;
using SessionInterop.Client.Engine;
using SessionInterop.State;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// What a session_client handle holds: the managed client, the current event batch in native
/// memory, and the C callbacks it keeps alive. Poll, dispatch and release form the "consumer
/// group": one thread at a time, never re-entered from inside a handler.
/// </summary>
internal sealed unsafe class ClientHandle : IDisposable
{
    private int _consumerBusy; // 1 while a thread is in poll, dispatch or release
    private readonly EventArena _arena = new();
    private readonly List<SessionEvent> _batch = new(64);   // reused by every poll (consumer thread only)
    private readonly ILoggerFactory _loggers;
    private readonly UserCallback? _log;
    private readonly UserCallback? _wakeup;
    private int _dispatchingThread;
    private int _disposed;

    private ClientHandle(SessionClient client, ILoggerFactory loggers, UserCallback? log, UserCallback? wakeup)
    {
        Client = client;
        _loggers = loggers;
        _log = log;
        _wakeup = wakeup;
    }

    internal SessionClient Client { get; }

    internal static ClientHandle Create(OptionsBuilder options)
    {
        UserCallback? log = options.Log?.Hold();
        UserCallback? wakeup = options.Wakeup?.Hold();
        // Every call into the app (log sink, wakeup) passes this gate; freeing the client closes it.
        var callbacks = new CallbackGate();
        var provider = new NativeLoggerProvider(log, options.LogMin, options.LogEventsMin, callbacks);
        ILoggerFactory loggers = new NativeLoggerFactory(provider);
        Action? wake = wakeup is null ? null : () =>
        {
            var fn = (delegate* unmanaged[Cdecl]<void*, void>)wakeup.Function;
            fn(wakeup.User);
        };
        try
        {
            SessionClient client = SessionClient.Open(options.ToClientOptions(loggers, wake, callbacks));
            if (options.LogEventsMin != LogLevel.None)
            {
                provider.EventSink = (level, category, message) => client.AddLogEvent(level, category, message);
            }
            return new ClientHandle(client, loggers, log, wakeup);
        }
        catch
        {
            callbacks.Close();
            loggers.Dispose();
            log?.Release();
            wakeup?.Release();
            throw;
        }
    }

    /// <summary>Hands out up to capacity events; the previous batch is released first.</summary>
    internal uint Poll(SessionEventRecord** output, uint capacity)
    {
        EnterConsumer();
        try
        {
            // Idle fast path (a game polls every frame): nothing to release, nothing ready.
            if (_arena.Count == 0 && !Client.HasEvents) return 0;
            _arena.Clear();
            Client.PollInto(_batch, (int)Math.Min(capacity, 4096));
            _arena.Fill(_batch);
            _batch.Clear();   // the arena holds the copies; drop the references
            for (int i = 0; i < _arena.Count; i++) output[i] = _arena[i];
            return (uint)_arena.Count;
        }
        finally { Volatile.Write(ref _consumerBusy, 0); }
    }

    internal void Release()
    {
        EnterConsumer();
        try
        {
            _arena.Clear();
            Client.ReleaseEvents();
        }
        finally { Volatile.Write(ref _consumerBusy, 0); }
    }

    /// <summary>Drains up to max events into the handlers, on this thread, holding no library lock while they run.</summary>
    internal uint Dispatch(SessionHandlers handlers, void* user, uint max)
    {
        EnterConsumer();
        uint dispatched = 0;
        try
        {
            _arena.Clear();
            Client.PollInto(_batch, (int)Math.Min(max, 4096));
            _arena.Fill(_batch);
            _batch.Clear();
            Volatile.Write(ref _dispatchingThread, Environment.CurrentManagedThreadId);
            for (int i = 0; i < _arena.Count; i++)
            {
                SessionEventRecord* ev = _arena[i];
                var handler = (EventType)ev->type switch
                {
                    EventType.RequestDone => handlers.on_request_done,
                    EventType.Connection => handlers.on_connection,
                    EventType.Message => handlers.on_message,
                    _ => handlers.on_other,
                };
                if (handler != null) handler(user, ev);
                dispatched++;
            }
            return dispatched;
        }
        finally
        {
            Volatile.Write(ref _dispatchingThread, 0);
            Volatile.Write(ref _consumerBusy, 0);
        }
    }

    /// <summary>True when called from inside one of this client's dispatch handlers.</summary>
    internal bool InsideDispatch
    {
        get
        {
            // Most calls: nobody is dispatching, and the thread's id (a thread-local read) is not needed.
            int dispatching = Volatile.Read(ref _dispatchingThread);
            return dispatching != 0 && dispatching == Environment.CurrentManagedThreadId;
        }
    }

    private void EnterConsumer()
    {
        if (InsideDispatch)
            throw Errors.WrongState("client.reentrant", "poll, dispatch and release cannot be called from inside a dispatch handler");
        if (Interlocked.CompareExchange(ref _consumerBusy, 1, 0) != 0)
            throw Errors.WrongState("client.concurrent_poll", "another thread is polling this client");
    }

    /// <summary>
    /// The fixed shutdown order: the client cancels its jobs, waits for them at most
    /// shutdown.timeout_ms and closes the callback gate (after which no callback of this client
    /// runs), then the event batch is freed and each free_user is called exactly once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            Client.Dispose();
        }
        finally
        {
            // The contract forbids racing free with poll; still, never free a batch being read.
            SpinWait.SpinUntil(() => Interlocked.CompareExchange(ref _consumerBusy, 1, 0) == 0, 2000);
            _arena.Dispose();
            _loggers.Dispose();
            _log?.Release();
            _wakeup?.Release();
        }
    }
}
