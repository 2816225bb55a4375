using Microsoft.Extensions.Logging;

namespace SessionInterop.Client.Engine;

/// <summary>
/// Runs every background job of one client run, each in its own supervised loop on library
/// threads. A step that throws never ends its loop: the failure is classified (<see cref="Failure"/>),
/// logged, and the job rests with exponential backoff; a job that keeps failing (or fails on
/// storage, or with a bug) is reported once per streak through <c>report</c> (an ERROR event).
/// Only cancellation ends the loops.
/// </summary>
internal sealed class EngineRunner
{
    private readonly IReadOnlyList<Job> _jobs;
    private readonly Dictionary<string, SemaphoreSlim> _signals;
    private readonly Action<string, Failure> _report;
    private readonly ILogger _log;
    private readonly EngineOptions _options;

    internal EngineRunner(IReadOnlyList<Job> jobs, EngineOptions options, Action<string, Failure> report, ILogger log)
    {
        _jobs = jobs;
        _options = options;
        _report = report;
        _log = log;
        _signals = jobs.ToDictionary(j => j.Name, _ => new SemaphoreSlim(0, 1));
    }

    /// <summary>Runs all jobs until the token is cancelled; the task never faults.</summary>
    internal Task RunAsync(CancellationToken token) =>
        Task.WhenAll(_jobs.Select(job => Task.Run(() => SuperviseAsync(job, token), CancellationToken.None)));

    /// <summary>Ends a job's rest early (new work arrived). Unknown names are ignored.</summary>
    internal void Wake(string job)
    {
        if (!_signals.TryGetValue(job, out SemaphoreSlim? signal)) return;
        try { signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    private async Task SuperviseAsync(Job job, CancellationToken token)
    {
        int failures = 0;
        bool reported = false;
        while (!token.IsCancellationRequested)
        {
            TimeSpan rest;
            try
            {
                rest = await job.Step(token).ConfigureAwait(false);
                if (failures > 0) EngineLog.JobRecovered(_log, job.Name, failures);
                failures = 0;
                reported = false;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                Failure failure = Failure.Of(e);
                failures++;
                rest = Backoff(failures);
                EngineLog.JobFailed(_log, job.Name, failure.Kind, failure.Code, failures, (long)rest.TotalMilliseconds);
                bool serious = failure.Kind is FailureKind.Storage or FailureKind.Internal or FailureKind.Remote;
                if (!reported && (serious || failures >= _options.ReportAfterFailures))
                {
                    reported = true;
                    Safe(() => _report(job.Name, failure));
                }
            }
            try { await _signals[job.Name].WaitAsync(rest, token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
        }
    }

    /// <summary>Min backoff doubling per failure up to the max, with ±20 % jitter so clients do not retry in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        double ms = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    private void Safe(Action report)
    {
        try { report(); }
        catch (Exception e) { EngineLog.ReportFailed(_log, e.GetType().Name); }
    }
}

/// <summary>The runner's knobs (SessionClientOptions carries them).</summary>
internal sealed record EngineOptions(TimeSpan MinBackoff, TimeSpan MaxBackoff, int ReportAfterFailures);
