namespace SessionInterop.Client.Engine;

/// <summary>
/// One kind of background work (outbox, inbox, communities, maintenance, …). Step does one round
/// and returns how long to rest before the next (TimeSpan.Zero: at once); the runner supervises it.
/// Adding a job is writing a step and one line in SessionClient.Jobs.
/// </summary>
internal sealed record Job(string Name, Func<CancellationToken, Task<TimeSpan>> Step);
