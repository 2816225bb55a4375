using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionInterop.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SessionClient with the options pattern and the container's ILoggerFactory.</summary>
public static class SessionClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton SessionClient opened from IOptions&lt;SessionClientOptions&gt; (configured by
    /// <paramref name="configure"/> and any other Configure calls). It is opened on first use and not
    /// started: call Start. The container disposes it.
    /// </summary>
    public static IServiceCollection AddSessionClient(this IServiceCollection services, Action<SessionClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.TryAddSingleton(provider => SessionClient.Open(
            provider.GetRequiredService<IOptions<SessionClientOptions>>(), provider.GetService<ILoggerFactory>()));
        return services;
    }
}
