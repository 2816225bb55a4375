using SessionInterop.Crypto;

namespace SessionInterop.NativeExports.Abi;

/// <summary>The handle tables, one per opaque C type; tags keep one kind from passing as another.</summary>
internal static class Handles
{
    internal static readonly HandleTable<Identity> Identities = new(1, "session_identity");
    internal static readonly HandleTable<OptionsBuilder> Options = new(2, "session_options");
    internal static readonly HandleTable<ClientHandle> Clients = new(3, "session_client");
}
