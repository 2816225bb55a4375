using SessionInterop.Crypto;

namespace SessionInterop.NativeExports.Abi;

/// <summary>The handle tables, one per opaque C type; tags keep one kind from passing as another.</summary>
internal static class Handles
{
    internal static readonly HandleTable<Identity> Identities = new(1, "session_identity");
}
