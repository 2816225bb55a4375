using SessionInterop.Client.Engine;

namespace SessionInterop.Client;

// The background jobs of a running client. Each is a step the EngineRunner supervises; adding a
// job (config sync, groups, attachments) is one step method and one line here.
public sealed partial class SessionClient
{
    private const string OutboxJob = "outbox", InboxJob = "inbox", CommunityJob = "community", MaintenanceJob = "maintenance",
        ConfigJob = "config";

    private List<Job> Jobs(ISwarmNetwork network)
    {
        List<Job> jobs =
        [
            new(OutboxJob, OutboxStepAsync),
            new(InboxJob, InboxStepAsync),
            new(CommunityJob, CommunityStepAsync),
            new(MaintenanceJob, MaintenanceStepAsync),
        ];
        // Multi-device config sync, where the network carries its batch requests (not the in-memory test swarm).
        if (network is Config.IConfigNetwork configNetwork) jobs.Add(new(ConfigJob, token => ConfigStepAsync(configNetwork, token)));
        // Closed groups (issue 17), where the network reaches group swarms.
        if (network is Groups.IGroupNetwork groupNetwork) jobs.Add(new(GroupJob, token => GroupStepAsync(groupNetwork, token)));
        return jobs;
    }

    private void Wake(string job) => Volatile.Read(ref _run)?.Runner.Wake(job);

    private void WakeOutbox() => Wake(OutboxJob);

    private void WakeCommunities() => Wake(CommunityJob);

    /// <summary>True while the app has more undrained events than MaxReadyEvents: polling pauses.</summary>
    private bool AppIsBehind => _events.ReadyCount >= _options.MaxReadyEvents;

    /// <summary>
    /// Housekeeping every few seconds: retry acknowledgements a disk error left unwritten; at
    /// start and hourly, forget seen keys whose messages can no longer be replayed
    /// (older than their maximum lifetime plus the clock tolerance).
    /// </summary>
    private Task<TimeSpan> MaintenanceStepAsync(CancellationToken token)
    {
        _events.RetryAcknowledgements();
        if (NowMs() >= _nextPruneMs)
        {
            _store.PruneSeen(NowMs());
            _nextPruneMs = NowMs() + 3_600_000;
        }
        return Task.FromResult(TimeSpan.FromSeconds(5));
    }

    private long _nextPruneMs;

    /// <summary>How long a seen key must be kept: as long as a message sent at sentMs could still be replayed.</summary>
    private long SeenUntil(long sentMs) => sentMs + MessageTtlMs + (long)_options.ClockTolerance.TotalMilliseconds;

    /// <summary>True for a message sent longer ago than its maximum lifetime plus the clock tolerance.</summary>
    private bool IsReplay(long sentMs) => SeenUntil(sentMs) < NowMs();
}
