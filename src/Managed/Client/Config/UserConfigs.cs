using SessionInterop.Config;
using SessionInterop.Crypto;

namespace SessionInterop.Client.Config;

/// <summary>The account's four user configs, loaded from their dumps (new and empty when none).</summary>
internal sealed class UserConfigs
{
    public UserConfigs(Identity account, IReadOnlyDictionary<int, byte[]> dumps)
    {
        byte[]? Dump(int ns) => dumps.TryGetValue(ns, out byte[]? d) ? d : null;
        Profile = new UserProfile(account, Dump(2));
        Contacts = new Contacts(account, Dump(3));
        Convos = new ConvoInfoVolatile(account, Dump(4));
        Groups = new UserGroups(account, Dump(5));
        // Desktop's poll order is [0, 2, 3, 5, 4]; namespace 0 is the inbox's.
        All = [Profile, Contacts, Groups, Convos];
    }

    public UserProfile Profile { get; }
    public Contacts Contacts { get; }
    public ConvoInfoVolatile Convos { get; }
    public UserGroups Groups { get; }

    /// <summary>In poll order: 2, 3, 5, 4.</summary>
    public IReadOnlyList<ConfigObject> All { get; }

    public ConfigObject ByNamespace(int ns) => All.First(c => c.Namespace == ns);
}
