namespace SessionInterop.Client.Engine;

/// <summary>
/// The gate every path into app code passes (wakeup, log callback). Once Close returns, no
/// callback is running and none ever starts again: what session_client_free promises.
/// </summary>
internal sealed class CallbackGate
{
    private const int ClosedBit = 1 << 30;
    private int _state; // ClosedBit | number of callbacks inside

    /// <summary>Runs the callback unless the gate is closed. Never throws.</summary>
    public void Run(Action callback)
    {
        if (Interlocked.Increment(ref _state) >= ClosedBit)
        {
            Interlocked.Decrement(ref _state);
            return;
        }
        try { callback(); }
        catch { /* app code must not break our threads */ }
        finally { Interlocked.Decrement(ref _state); }
    }

    /// <summary>True once Close has been called.</summary>
    public bool IsClosed => Volatile.Read(ref _state) >= ClosedBit;

    /// <summary>Refuses new callbacks, then waits until those running have returned.</summary>
    public void Close()
    {
        int state;
        do
        {
            state = Volatile.Read(ref _state);
            if (state >= ClosedBit) break;
        } while (Interlocked.CompareExchange(ref _state, state | ClosedBit, state) != state);
        // A callback that calls back into the library (session_interrupt) returns promptly.
        SpinWait.SpinUntil(() => (Volatile.Read(ref _state) & ~ClosedBit) == 0);
    }
}
